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
}
