using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
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

/// <summary>The pod handler's resync: every stored pod's kubelet is running, and one that is stuck is terminated, with one read of each.</summary>
public sealed class PodResyncTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryObjectStore _store = new();
    private readonly Mock<IWorkflowClient> _workflows = new(MockBehavior.Strict);

    private async Task<string> PodAsync(string name)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = $"uid-{name}", CreationTimestamp = Now.UtcDateTime },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
        };
        await _store.CreateAsync(ResourceTypes.Pods, pod);
        return PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
    }

    private void Read(string instanceId, WorkflowInstanceState? state, int minutesSilent = 0, string? waitingFor = "signal PodSignal") =>
        _workflows.Setup(w => w.GetDetailsAsync(instanceId, 0, It.IsAny<CancellationToken>())).ReturnsAsync(state is { } s
            ? new WorkflowInstanceDetails(instanceId, PodLifecycleOrchestrator.Name, s, s.ToString(), Now.AddHours(-1), Now.AddMinutes(-minutesSilent),
                System.Text.Json.JsonSerializer.Serialize(new LoopStatus(1, waitingFor!, null, null)), null)
            : null);

    [Fact]
    public async Task Missing_and_failed_kubelets_start_a_stuck_one_is_terminated_and_a_waiting_one_is_left_with_one_read_each()
    {
        var missing = await PodAsync("missing");
        var failed = await PodAsync("failed");
        var stuck = await PodAsync("stuck");
        var waiting = await PodAsync("waiting");
        Read(missing, null);
        Read(failed, WorkflowInstanceState.Failed);
        Read(stuck, WorkflowInstanceState.Running, minutesSilent: 11, waitingFor: "activity SyncPod");
        Read(waiting, WorkflowInstanceState.Running, minutesSilent: 60);
        _workflows.Setup(w => w.StartAsync(PodLifecycleOrchestrator.Name, It.IsIn(missing, failed), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        _workflows.Setup(w => w.TerminateAsync(stuck, It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var time = new FakeTimeProvider(Now);
        var handler = new PodChangeHandler(
            _store, new FixedOptions<KubeletOptions>(new KubeletOptions()), new FixedOptions<ReconcileOptions>(new ReconcileOptions()),
            time, new WorkflowWatchdog(Mock.Of<IWorkflowWorker>(MockBehavior.Strict), time, NullLogger<WorkflowWatchdog>.Instance), NullLogger<PodChangeHandler>.Instance);

        Assert.Equal(4, await handler.ResyncAsync(_workflows.Object, CancellationToken.None));

        // The strict client refuses any other call: no second read of a state, no start of the stuck or the waiting one.
        _workflows.Verify(w => w.StartAsync(PodLifecycleOrchestrator.Name, missing, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.StartAsync(PodLifecycleOrchestrator.Name, failed, It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.TerminateAsync(stuck, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
        _workflows.Verify(w => w.GetDetailsAsync(It.IsAny<string>(), 0, It.IsAny<CancellationToken>()), Times.Exactly(4));
    }
}
