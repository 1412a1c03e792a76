using DurableKube.Functions.Api;
using DurableKube.Functions.Hosting;
using DurableKube.Hosting;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Probes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using DurableKube.Ports.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Tests;

/// <summary>
/// The services Program.cs composes (AddDurableKube, as in the local host) give every wrapper what it
/// resolves, the way the worker resolves it: nothing here reaches storage, so no Azurite is needed.
/// </summary>
public sealed class CompositionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "durablekube-functions-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public CompositionTests()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                ["Runtime:Kind"] = "process",
                ["Runtime:Process:Root"] = _root,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableKube(configuration);
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Every_wrapper_finds_its_services_in_the_composition()
    {
        var client = new DurableTaskClientWorkflowClient(new Mock<DurableTaskClient>(MockBehavior.Strict, "durablekube").Object);

        Assert.NotNull(ActivatorUtilities.CreateInstance<KubernetesApiFunction>(_services));
        Assert.NotNull(_services.GetRequiredService<SyncPodActivity>());
        Assert.NotNull(_services.GetRequiredService<SyncNamespaceActivity>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<ChangeDispatcher>(_services, client));
        using var agent = ActivatorUtilities.CreateInstance<NodeAgent>(_services, client);
        Assert.NotNull(agent);
    }

    [Fact]
    public void The_composition_leaves_the_workflow_client_to_the_host()
    {
        // The Functions host has one only per invocation ([DurableClient]); a registered one would be a local host's.
        Assert.Null(_services.GetService<Ports.Workflows.IWorkflowClient>());
    }

    [Fact]
    public void The_Functions_composition_has_no_local_node_and_starts_node_agent_loops_on_pod_bindings()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                ["Runtime:Kind"] = "none",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableKubeFunctions(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Empty(provider.GetRequiredService<Ports.Runtime.INodeRuntimes>().Nodes);
        Assert.Contains(provider.GetRequiredService<ChangeRouter>().Handlers, h => h is NodeAgentStarter);
        Assert.Empty(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<NodeAgents>());
        Assert.False(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DurableKube.Api.KubernetesApiOptions>>().Value.Streaming);

        // Watches end before Azure's front end cuts the response (about 230 s) even when no setting says so.
        Assert.Equal(FunctionsServiceCollectionExtensions.FunctionsMaxWatchTimeoutSeconds, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DurableKube.Api.KubernetesApiOptions>>().Value.MaxWatchTimeoutSeconds);
        Assert.True(FunctionsServiceCollectionExtensions.FunctionsMaxWatchTimeoutSeconds < 230);
    }

    [Fact]
    public void The_Functions_composition_hosts_the_probers_in_the_worker_and_probes_no_pod_scoped_node()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
                ["Runtime:Kind"] = "none",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableKubeFunctions(configuration);
        var aci = new Mock<Ports.Runtime.IContainerRuntime>();
        aci.SetupGet(r => r.Scope).Returns(Ports.Runtime.SandboxScope.Pod);
        services.AddNodeRuntime(new Ports.Runtime.NodeRuntime("aci-1", aci.Object));
        using var provider = services.BuildServiceProvider();

        // A hosted service of the isolated worker, as in the local host; an ACI node runs its own probes (docs/aci.md).
        var probers = Assert.Single(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<NodeProbers>());
        Assert.Empty(probers.Probers);
        Assert.NotNull(provider.GetRequiredService<ProbeRunner>());
    }
}
