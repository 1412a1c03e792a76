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
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:Process:Root"] = _root }.Concat(settings));
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
    [InlineData("docker")]
    [InlineData("aci")]
    [InlineData("podman")]
    public void A_runtime_this_build_does_not_have_is_refused_with_a_clear_message(string kind)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Runtime:Kind"] = kind }));

        Assert.Contains($"Runtime:Kind is \"{kind}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("it has: process", error.Message, StringComparison.Ordinal);
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
}
