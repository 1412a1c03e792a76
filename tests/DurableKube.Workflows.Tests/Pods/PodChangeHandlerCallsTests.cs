using DurableKube.Domain.Changes;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>
/// What the pod handler asks of the backend (a strict client refuses any other call): a new pod's kubelet is started
/// without a read of its state first (the start refuses while one runs); a deletion reads the state, to tell a running
/// kubelet; the resync makes every stored pod's kubelet run and terminates a stuck one, with one read of each.
/// </summary>
public sealed class PodChangeHandlerCallsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly InMemoryObjectStore _store = new();
    private readonly Mock<IWorkflowClient> _workflows = new(MockBehavior.Strict);
    private readonly PodChangeHandler _handler;

    public PodChangeHandlerCallsTests()
    {
        var time = new FakeTimeProvider(Now);
        _handler = new PodChangeHandler(
            _store, new FixedOptions<KubeletOptions>(new KubeletOptions()), new FixedOptions<ReconcileOptions>(new ReconcileOptions()),
            time, new WorkflowWatchdog(Mock.Of<IWorkflowWorker>(MockBehavior.Strict), time, NullLogger<WorkflowWatchdog>.Instance), NullLogger<PodChangeHandler>.Instance);
    }

    private async Task<V1Pod> PodAsync(string name)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = $"uid-{name}", CreationTimestamp = Now.UtcDateTime },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        };
        return (V1Pod)await _store.CreateAsync(ResourceTypes.Pods, pod);
    }

    private async Task<string> InstanceAsync(string name) => PodIdentity.WorkflowInstanceIdFor((await PodAsync(name)).Metadata.Uid);

    private static ObjectChange Change(V1Pod pod, ObjectChangeType type, ChangeFacets facets = ChangeFacets.None) =>
        new(ResourceTypes.Pods.GroupResource, pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid, type, pod.Metadata.ResourceVersion) { Facets = facets };

    private void Read(string instanceId, WorkflowInstanceState? state, int minutesSilent = 0, string? waitingFor = "signal PodSignal") =>
        _workflows.Setup(w => w.GetDetailsAsync(instanceId, 0, It.IsAny<CancellationToken>())).ReturnsAsync(state is { } s
            ? new WorkflowInstanceDetails(instanceId, PodLifecycleOrchestrator.Name, s, s.ToString(), Now.AddHours(-1), Now.AddMinutes(-minutesSilent),
                System.Text.Json.JsonSerializer.Serialize(new LoopStatus(1, waitingFor!, null, null)), null)
            : null);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_new_pods_kubelet_is_started_with_no_read_of_its_state_first_whether_or_not_one_runs(bool started)
    {
        var pod = await PodAsync("web");
        var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
        _workflows.Setup(w => w.StartAsync(PodLifecycleOrchestrator.Name, instanceId, It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(started);

        await _handler.HandleAsync(Change(pod, ObjectChangeType.Added), _workflows.Object, CancellationToken.None);

        // The strict client refuses any other call: no read of the state, and nothing told to a kubelet that runs.
        _workflows.Verify(w => w.StartAsync(PodLifecycleOrchestrator.Name, instanceId, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task A_pod_being_deleted_has_its_state_read_and_its_running_kubelet_told()
    {
        var pod = await PodAsync("web");
        pod.Metadata.DeletionTimestamp = Now.UtcDateTime;
        pod.Metadata.DeletionGracePeriodSeconds = 30;
        pod = (V1Pod)await _store.UpdateAsync(ResourceTypes.Pods, pod);
        var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
        _workflows.Setup(w => w.GetStateAsync(instanceId, It.IsAny<CancellationToken>())).ReturnsAsync(WorkflowInstanceState.Running);
        _workflows.Setup(w => w.RaiseEventAsync(instanceId, PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await _handler.HandleAsync(Change(pod, ObjectChangeType.Modified, ChangeFacets.Deletion), _workflows.Object, CancellationToken.None);

        _workflows.Verify(w => w.RaiseEventAsync(instanceId, PodSignal.EventName, It.Is<object>(e => ((PodEvent)e).Signal is PodDeletionRequested), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Starting_without_a_read_is_refused_for_a_workflow_whose_completion_must_stand()
    {
        var start = new WorkflowStart("Loop", "loop-1", () => new object(), CompletedNeedsRestart: false, "pods", "default", "web");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => _workflows.Object.StartUnlessRunningAsync(start, NullLogger.Instance));
        Assert.Contains("must be read first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_and_failed_kubelets_start_a_stuck_one_is_terminated_and_a_waiting_one_is_left_with_one_read_each()
    {
        var missing = await InstanceAsync("missing");
        var failed = await InstanceAsync("failed");
        var stuck = await InstanceAsync("stuck");
        var waiting = await InstanceAsync("waiting");
        Read(missing, null);
        Read(failed, WorkflowInstanceState.Failed);
        Read(stuck, WorkflowInstanceState.Running, minutesSilent: 11, waitingFor: "activity SyncPod");
        Read(waiting, WorkflowInstanceState.Running, minutesSilent: 60);
        _workflows.Setup(w => w.StartAsync(PodLifecycleOrchestrator.Name, It.IsIn(missing, failed), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _workflows.Setup(w => w.TerminateAsync(stuck, It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        Assert.Equal(4, await _handler.ResyncAsync(_workflows.Object, CancellationToken.None));

        // The strict client refuses any other call: no second read of a state, no start of the stuck or the waiting one.
        _workflows.Verify(w => w.StartAsync(PodLifecycleOrchestrator.Name, missing, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.StartAsync(PodLifecycleOrchestrator.Name, failed, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.TerminateAsync(stuck, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.GetDetailsAsync(It.IsAny<string>(), 0, It.IsAny<CancellationToken>()), Times.Exactly(4));
    }
}
