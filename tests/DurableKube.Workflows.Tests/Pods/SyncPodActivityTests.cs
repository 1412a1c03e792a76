using DurableKube.Domain.Kinds;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Runtime;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Tests.Pods;

public sealed class SyncPodActivityTests
{
    private readonly InMemoryObjectStore _store = new();
    private readonly FakeContainerRuntime _runtime = new();

    private SyncPodActivity Activity() => new(
        new ObjectRegistry(_store, BuiltInKinds.Registry(), [], TimeProvider.System, NullLogger<ObjectRegistry>.Instance), new NodeRuntimes([new NodeRuntime("node-1", _runtime)]), new StaticOptions(new KubeletOptions()), TimeProvider.System, NullLogger<SyncPodActivity>.Instance);

    private async Task<PodLifecycleState> RunningPodAsync(params string[] containers)
    {
        await _store.CreateAsync(ResourceTypes.Nodes, new V1Node
        {
            ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = "node-1", Uid = "n-1" },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
        });
        var pod = (V1Pod)await _store.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-1" },
            Spec = new V1PodSpec { RestartPolicy = "Always", Containers = containers.Select(c => new V1Container { Name = c, Image = "busybox", Command = ["sleep", "60"] }).ToList() },
            Status = new V1PodStatus { Phase = "Pending" },
        });
        var state = PodLifecycle.Initialize(pod, KubeletSettings.Kubernetes);
        var result = await Activity().RunAsync(new SyncPodRequest(state, PodLifecycle.Plan(state, DateTimeOffset.UtcNow).Commands));
        return PodLifecycle.Apply(state, result.Outcomes);
    }

    [Fact]
    public async Task A_new_pod_is_bound_started_and_its_status_written_in_one_call()
    {
        var state = await RunningPodAsync("a", "b");

        var pod = (V1Pod?)await _store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));
        Assert.Equal("node-1", pod!.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.All(state.Containers, c => Assert.True(c.IsRunning));
        Assert.Equal(["a", "b"], _runtime.Launches.Select(l => l.Id.ContainerName));
    }

    [Fact]
    public async Task A_relist_reports_exits_the_workflow_missed_and_runs_the_runtime_lost()
    {
        var state = await RunningPodAsync("exited", "vanished", "alive");
        _runtime.Exit(new ContainerRunId("uid-1", "exited", 0), 3);
        _runtime.Forget(new ContainerRunId("uid-1", "vanished", 0));
        state = state with { NeedsRelist = true };

        var result = await Activity().RunAsync(new SyncPodRequest(state, [new Relist()]));

        var exits = result.Outcomes.OfType<RunExited>().Select(r => r.Exit).ToDictionary(e => e.Name);
        Assert.Equal(3, exits["exited"].ExitCode);
        Assert.Equal(137, exits["vanished"].ExitCode);
        Assert.Equal("ContainerStatusUnknown", exits["vanished"].Reason);
        Assert.False(exits.ContainsKey("alive"));
        Assert.IsType<Relisted>(result.Outcomes[^1]);
    }

    [Fact]
    public async Task A_pod_deleted_behind_the_workflows_back_is_noticed_on_the_next_sync()
    {
        var state = await RunningPodAsync("app");
        await _store.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));

        var result = await Activity().RunAsync(new SyncPodRequest(state, [new StartContainer("app", 1)]));

        var observed = Assert.IsType<DeletionObserved>(Assert.Single(result.Outcomes));
        Assert.True(observed.ObjectGone);
    }

    private sealed class StaticOptions(KubeletOptions value) : IOptionsMonitor<KubeletOptions>
    {
        public KubeletOptions CurrentValue => value;

        public KubeletOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<KubeletOptions, string?> listener) => null;
    }
}
