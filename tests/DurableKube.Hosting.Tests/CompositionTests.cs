using DurableKube.Api;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Pods;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;

namespace DurableKube.Hosting.Tests;

public sealed class CompositionTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("durablekube-hosting-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runtime:Process:Root"] = _root,
            ["Runtime:Docker:Root"] = _root,
            ["Runtime:Kind"] = settings.TryGetValue("Runtime:Kind", out var kind) ? kind : "process",
        }.Concat(settings.Where(s => s.Key != "Runtime:Kind")));
        builder.Services.AddDurableKube(builder.Configuration);
        builder.Services.AddSingleton(Mock.Of<IWorkflowClient>());
        return builder.Build();
    }

    [Fact]
    public void The_composition_resolves_everything_the_hosts_call()
    {
        using var host = Build([]);

        Assert.NotNull(host.Services.GetRequiredService<KubernetesApi>());
        Assert.NotNull(host.Services.GetRequiredService<IObjectStore>());
        Assert.NotNull(host.Services.GetRequiredService<IWorkQueue>());
        Assert.Equal("process", host.Services.GetRequiredService<IContainerRuntime>().Name);
        using var scope = host.Services.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<SyncPodActivity>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<ChangeDispatcher>());
    }

    [Theory]
    [InlineData("aci")]
    [InlineData("podman")]
    public void A_runtime_this_build_does_not_have_is_refused_with_a_clear_message(string kind)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Runtime:Kind"] = kind }));

        Assert.Contains($"Runtime:Kind is \"{kind}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("it has: auto, docker, process, none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_kind_is_read_case_insensitively()
    {
        using var host = Build(new() { ["Runtime:Kind"] = "Process" });

        Assert.Equal("process", host.Services.GetRequiredService<IContainerRuntime>().Name);
    }

    [Fact]
    public void The_local_node_is_named_labelled_and_tainted_by_the_node_section()
    {
        using var host = Build(new()
        {
            ["Node:Name"] = "laptop",
            ["Node:Labels:tier"] = "edge",
            ["Node:Taints:0"] = "dedicated=batch:NoSchedule",
        });

        var node = Assert.Single(host.Services.GetRequiredService<INodeRuntimes>().Nodes);
        Assert.Equal("laptop", node.Name);
        Assert.Same(host.Services.GetRequiredService<IContainerRuntime>(), node.Runtime);
        Assert.Equal("edge", node.Labels["tier"]);
        var taint = Assert.Single(node.Taints);
        Assert.Equal(("dedicated", "batch", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.Same(node.Runtime, host.Services.GetRequiredService<INodeRuntimes>().RuntimeOf("laptop"));
        Assert.Null(host.Services.GetRequiredService<INodeRuntimes>().RuntimeOf("elsewhere"));
    }

    [Fact]
    public void Runtime_kind_none_leaves_no_local_node()
    {
        using var host = Build(new() { ["Runtime:Kind"] = "none" });

        Assert.Empty(host.Services.GetRequiredService<INodeRuntimes>().Nodes);
        Assert.Null(host.Services.GetService<IContainerRuntime>());
    }

    [Theory]
    [InlineData("process", "the local process node is the one Runtime:Kind=process makes")]
    [InlineData("podman", "Nodes:extra:Kind is \"podman\", which this build does not have")]
    public void A_node_of_a_kind_this_build_cannot_serve_is_refused_with_a_clear_message(string kind, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Nodes:extra:Kind"] = kind }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_taint_that_is_not_key_value_effect_fails_the_start_with_the_setting_named()
    {
        using var host = Build(new() { ["Node:Taints:0"] = "dedicated=batch" });

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<INodeRuntimes>());
        Assert.Contains("is not a taint", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_aci_node_of_the_nodes_section_sits_beside_the_local_node_with_its_labels_and_taints()
    {
        using var host = Build(new()
        {
            ["Node:Name"] = "laptop",
            ["Nodes:aci-1:Kind"] = "aci",
            ["Nodes:aci-1:SubscriptionId"] = "00000000-0000-0000-0000-000000000001",
            ["Nodes:aci-1:ResourceGroup"] = "rg-nodes",
            ["Nodes:aci-1:Region"] = "westeurope",
            ["Nodes:aci-1:Cpu"] = "20",
            ["Nodes:aci-1:AccessToken"] = "token",
            ["Nodes:aci-1:Labels:type"] = "virtual-kubelet",
            ["Nodes:aci-1:Taints:0"] = "virtual-kubelet.io/provider=azure:NoSchedule",
        });

        var nodes = host.Services.GetRequiredService<INodeRuntimes>();
        Assert.Equal(["laptop", "aci-1"], nodes.Nodes.Select(n => n.Name));
        var aci = nodes.Nodes[1];
        Assert.Equal(("aci", SandboxScope.Pod), (aci.Runtime.Name, aci.Runtime.Scope));
        Assert.Equal("virtual-kubelet", aci.Labels["type"]);
        Assert.Equal(("virtual-kubelet.io/provider", "azure", "NoSchedule"), (aci.Taints[0].Key, aci.Taints[0].Value, aci.Taints[0].Effect));
        Assert.Same(aci.Runtime, nodes.RuntimeOf("aci-1"));
    }

    [Fact]
    public void An_aci_node_missing_its_settings_stops_the_start_naming_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Nodes:aci-1:Kind"] = "aci" }));

        Assert.Contains("Nodes:aci-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("SubscriptionId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_kind_docker_makes_the_local_node_a_docker_node_named_by_the_node_section()
    {
        using var host = Build(new() { ["Runtime:Kind"] = "docker", ["Node:Name"] = "box" });

        var node = Assert.Single(host.Services.GetRequiredService<INodeRuntimes>().Nodes);
        Assert.Equal(("box", "docker"), (node.Name, node.Runtime.Name));
    }

    [Fact]
    public void Auto_picks_the_process_runtime_when_no_engine_answers_and_says_so()
    {
        using var host = Build(new() { ["Runtime:Kind"] = "auto", ["Runtime:Docker:Endpoint"] = $"unix://{Path.Combine(_root, "no.sock")}" });

        Assert.Equal("process", host.Services.GetRequiredService<IContainerRuntime>().Name);
        Assert.Contains("no Docker engine answers", host.Services.GetRequiredService<LocalRuntimeChoice>().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_picks_docker_when_an_engine_answers_its_ping()
    {
        var socket = Path.Combine(_root, "engine.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        listener.Listen();
        var answer = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync();
            var buffer = new byte[1024];
            await connection.ReceiveAsync(buffer);
            await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK"u8.ToArray());
            connection.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });

        using var host = Build(new() { ["Runtime:Kind"] = "auto", ["Runtime:Docker:Endpoint"] = $"unix://{socket}" });
        await answer;

        Assert.Equal("docker", host.Services.GetRequiredService<IContainerRuntime>().Name);
        Assert.Equal("docker", host.Services.GetRequiredService<LocalRuntimeChoice>().Kind);
    }

    [Fact]
    public void A_docker_node_of_the_nodes_section_sits_beside_the_local_node()
    {
        using var host = Build(new() { ["Nodes:box-2:Kind"] = "docker", ["Nodes:box-2:Root"] = _root, ["Nodes:box-2:Labels:tier"] = "edge" });

        var node = Assert.Single(host.Services.GetRequiredService<INodeRuntimes>().Nodes, n => n.Name == "box-2");
        Assert.Equal(("docker", "edge"), (node.Runtime.Name, node.Labels["tier"]));
    }
}
