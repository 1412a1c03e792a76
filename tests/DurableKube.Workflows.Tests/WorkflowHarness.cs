using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Testing;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Nodes;
using k8s.Models;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests;

/// <summary>
/// The workflows running for real on the in-process Durable Task test host, over the in-memory store
/// and queue and a fake runtime, with the dispatcher reading the queue and the node agent forwarding
/// exits, as a host wires them.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly DurableTaskTestHost _host;
    private readonly ServiceProvider _services;
    private readonly Task _pump;

    private WorkflowHarness(DurableTaskTestHost host, ServiceProvider services, InMemoryObjectStore store, FaultyObjectStore faults, InMemoryWorkQueue queue, FakeContainerRuntime runtime, bool runNodeAgent)
    {
        _host = host;
        _services = services;
        Store = store;
        Faults = faults;
        Queue = queue;
        Runtime = runtime;
        Workflows = services.GetRequiredService<IWorkflowClient>();
        Dispatcher = services.GetRequiredService<QueueDispatcherService>();
        NodeAgent = services.GetRequiredService<NodeAgent>();
        _pump = Task.Run(() => PumpAsync(runNodeAgent));
    }

    public InMemoryObjectStore Store { get; }

    /// <summary>Gets the store every workflow, handler and agent uses: <see cref="Store"/>, with faults a test can arm.</summary>
    public FaultyObjectStore Faults { get; }

    public InMemoryWorkQueue Queue { get; }

    /// <summary>Gets the write path every workflow writes through, as the API does.</summary>
    public ObjectRegistry Registry => _services.GetRequiredService<ObjectRegistry>();

    public FakeContainerRuntime Runtime { get; }

    public IWorkflowClient Workflows { get; }

    /// <summary>Gets the test host's Durable Task client, to look at instances directly.</summary>
    public Microsoft.DurableTask.Client.DurableTaskClient Client => _host.Client;

    public QueueDispatcherService Dispatcher { get; }

    public NodeAgent NodeAgent { get; }

    /// <summary>Gets the runtimes of the nodes beside node-1, by name (<c>extraNodes</c>).</summary>
    public IReadOnlyDictionary<string, FakeContainerRuntime> ExtraRuntimes { get; private init; } = new Dictionary<string, FakeContainerRuntime>();

    /// <summary>Makes an agent for a node beside node-1 (not started: the test starts, stops or heartbeats it).</summary>
    /// <param name="name">The node.</param>
    /// <returns>The agent.</returns>
    public NodeAgent AgentOf(string name) =>
        ActivatorUtilities.CreateInstance<NodeAgent>(_services, _services.GetServices<NodeRuntime>().Single(n => n.Name == name));

    /// <param name="settings">Configuration on top of the harness's (scaled-down kubelet timings).</param>
    /// <param name="runNodeAgent">Whether the node agent runs (registering the node at once, forwarding exits).</param>
    /// <param name="extraNodes">Nodes beside node-1, each with a fake runtime of its own and no agent running.</param>
    public static async Task<WorkflowHarness> StartAsync(Dictionary<string, string?>? settings = null, bool runNodeAgent = true, params string[] extraNodes)
    {
        var queue = new InMemoryWorkQueue();
        var store = new InMemoryObjectStore();
        var faults = new FaultyObjectStore(store);
        var runtime = new FakeContainerRuntime();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubelet:BackoffInitial"] = "00:00:00.200",
            ["Kubelet:BackoffMax"] = "00:00:00.800",
            ["Kubelet:ScheduleRetry"] = "00:00:00.300",
            ["Node:Name"] = "node-1",
            ["Node:HeartbeatInterval"] = "00:00:00.500",
            ["Node:ExitResyncInterval"] = "00:00:01",
            ["Dispatcher:MinPollInterval"] = "00:00:00.020",
            ["Dispatcher:MaxPollInterval"] = "00:00:00.050",
            ["Reconcile:ActivityAttempts"] = "2",
            ["Reconcile:ActivityFirstRetry"] = "00:00:00.100",
            ["Reconcile:ActivityMaxRetry"] = "00:00:00.100",
            ["Reconcile:FailedWorkDelay"] = "00:00:00.500",
        }.Concat(settings ?? []).GroupBy(p => p.Key).Select(g => g.Last())).Build();

        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IObjectStore>(faults)
            .AddSingleton<DurableKube.Ports.Queue.IWorkQueue>(queue)
            .AddSingleton<IContainerRuntime>(runtime)
            .AddNodeRuntime(new NodeRuntime("node-1", runtime))
            .AddDurableKubeWorkflows(configuration)
            .AddSingleton<QueueDispatcherService>()
            .AddSingleton(sp => ActivatorUtilities.CreateInstance<NodeAgent>(sp, sp.GetServices<NodeRuntime>().First(n => n.Name == "node-1")));

        var extraRuntimes = extraNodes.ToDictionary(n => n, _ => new FakeContainerRuntime());
        foreach (var (name, extra) in extraRuntimes)
        {
            services.AddNodeRuntime(new NodeRuntime(name, extra));
        }

        ServiceProvider? provider = null;
        var host = await DurableTaskTestHost.StartAsync(
            registry => WorkflowCatalog.Register(new Registrar(registry, () => provider!)),
            new DurableTaskTestHostOptions { Port = FreePort.Next(), LoggerFactory = NullLoggerFactory.Instance });
        services.AddSingleton<IWorkflowClient>(new DurableTaskClientWorkflowClient(host.Client));
        provider = services.BuildServiceProvider(validateScopes: true);

        var harness = new WorkflowHarness(host, provider, store, faults, queue, runtime, runNodeAgent) { ExtraRuntimes = extraRuntimes };
        await harness.Registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } });
        if (runNodeAgent)
        {
            await harness.NodeAgent.HeartbeatAsync();
        }

        return harness;
    }

    /// <summary>Creates a pod as the API does: through the registry (defaults, uid, timestamps, validation).</summary>
    public async Task<V1Pod> CreatePodAsync(V1Pod pod)
    {
        pod.Metadata.NamespaceProperty ??= "default";
        return (V1Pod)await Registry.CreateAsync(ResourceTypes.Pods, pod);
    }

    /// <summary>Deletes a pod as the API does: gracefully, or at once when nothing runs it.</summary>
    public Task DeletePodAsync(string name, long? gracePeriodSeconds = null) =>
        Registry.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", name), new DeleteOptions(gracePeriodSeconds));

    public async Task<V1Pod?> GetPodAsync(string name) => (V1Pod?)await Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", name));

    /// <summary>Waits until the pod satisfies the condition, or fails with what it last was.</summary>
    public async Task<V1Pod> WaitForPodAsync(string name, Func<V1Pod, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        V1Pod? pod = null;
        while (DateTime.UtcNow < deadline)
        {
            pod = await GetPodAsync(name);
            if (pod is not null && condition(pod))
            {
                return pod;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"pod {name} did not get there; last status: {(pod is null ? "<gone>" : DurableKube.Domain.Serialization.KubeJson.Serialize(pod.Status))}");
    }

    public async Task WaitForPodGoneAsync(string name, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await GetPodAsync(name) is null)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"pod {name} is still there");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
        }

        await _host.DisposeAsync();
        await _services.DisposeAsync();
        _stop.Dispose();
    }

    private async Task PumpAsync(bool runNodeAgent)
    {
        // The dispatcher's and node agent's loops, as a host runs them.
        await Dispatcher.StartAsync(_stop.Token);
        if (runNodeAgent)
        {
            await NodeAgent.StartAsync(_stop.Token);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        finally
        {
            await Dispatcher.StopAsync(CancellationToken.None);
            if (runNodeAgent)
            {
                await NodeAgent.StopAsync(CancellationToken.None);
            }
        }
    }


    private sealed class Registrar(DurableTaskRegistry registry, Func<IServiceProvider> services) : IWorkflowRegistrar
    {
        public void AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
            registry.AddOrchestratorFunc<TInput, TOutput>(name, (context, input) => run(context, input!));

        public void AddActivity<TInput, TOutput>(string name, Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> run) =>
            registry.AddActivityFunc<TInput, TOutput>(name, (context, input) => run(services(), input!, CancellationToken.None));
    }
}
