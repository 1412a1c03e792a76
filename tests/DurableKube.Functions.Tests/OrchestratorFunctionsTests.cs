using DurableKube.Domain.Kubelet;
using DurableKube.Functions.Tests.Support;
using DurableKube.Functions.Workflows;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Functions.Tests;

/// <summary>The orchestration triggers, over a strict <see cref="TaskOrchestrationContext"/> mock: input read with its real type, the plan's activity called.</summary>
public sealed class OrchestratorFunctionsTests
{
    private static readonly DateTime Now = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Mock<TaskOrchestrationContext> StrictContext(string name, string instanceId)
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.SetupGet(c => c.Name).Returns(new TaskName(name));
        context.SetupGet(c => c.InstanceId).Returns(instanceId);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        return context;
    }

    [Fact]
    public async Task PodLifecycle_reads_its_state_and_calls_SyncPod_with_the_plan_for_a_new_pod()
    {
        var pod = FunctionHarness.Pod("web");
        pod.Metadata.Uid = "u-1";
        var state = PodLifecycle.Initialize(pod, new KubeletOptions().ToSettings());
        var context = StrictContext(PodLifecycleOrchestrator.Name, state.Pod.WorkflowInstanceId);
        context.Setup(c => c.GetInput<ReconcileInput<PodLifecycleState>>()).Returns(new ReconcileInput<PodLifecycleState>(state));
        object? sent = null;
        var activity = new TaskCompletionSource<SyncPodResult>();
        context
            .Setup(c => c.CallActivityAsync<SyncPodResult>(It.Is<TaskName>(n => n.Name == SyncPodActivity.Name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => sent = input)
            .Returns(activity.Task);

        var run = OrchestratorFunctions.PodLifecycleAsync(context.Object);
        if (run.IsFaulted)
        {
            await run;
        }

        // It awaits the activity: the first step of a new pod's life is bind, sandbox, start in one round trip.
        Assert.False(run.IsCompleted);
        var request = Assert.IsType<SyncPodRequest>(sent);
        Assert.Same(state, request.State);
        Assert.Equal(PodLifecycle.Plan(state, new DateTimeOffset(Now)).Commands, request.Commands);
        Assert.IsType<BindPod>(request.Commands[0]);
        Assert.Contains(request.Commands, c => c is StartContainer { Name: "app", Attempt: 0 });
        context.Verify(c => c.GetInput<ReconcileInput<PodLifecycleState>>(), Times.Once);
    }

    [Fact]
    public async Task NamespaceTermination_reads_its_namespace_and_looks_until_it_is_removed()
    {
        var ns = new NamespaceRef("doomed", "u-2");
        var context = StrictContext(NamespaceTerminationOrchestrator.Name, ns.WorkflowInstanceId);
        context.Setup(c => c.GetInput<ReconcileInput<NamespaceTermination>>()).Returns(new ReconcileInput<NamespaceTermination>(new NamespaceTermination(ns)));
        context
            .Setup(c => c.CallActivityAsync<NamespaceSyncResult>(It.Is<TaskName>(n => n.Name == SyncNamespaceActivity.Name), ns, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(new NamespaceSyncResult(0, Removed: true));

        var result = await OrchestratorFunctions.NamespaceTerminationAsync(context.Object);

        Assert.Equal("doomed", result);
        context.Verify(c => c.GetInput<ReconcileInput<NamespaceTermination>>(), Times.Once);
        context.Verify(c => c.CallActivityAsync<NamespaceSyncResult>(It.IsAny<TaskName>(), ns, It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public async Task An_orchestration_without_input_fails_with_a_clear_message()
    {
        var context = StrictContext(PodLifecycleOrchestrator.Name, "pod-x");
        context.Setup(c => c.GetInput<ReconcileInput<PodLifecycleState>>()).Returns((ReconcileInput<PodLifecycleState>?)null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OrchestratorFunctions.PodLifecycleAsync(context.Object));

        Assert.Contains("ReconcileInput", error.Message, StringComparison.Ordinal);
    }
}
