using DurableKube.Domain.Kubelet;
using DurableKube.Functions.Tests.Support;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.StatefulSets;
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

        // Every loop says what it waits for in its custom status (the dashboard's workflow view reads it).
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()));

        // No controller is woken in these tests: a loop that ends looks for a buffered wake first and finds none.
        context.Setup(c => c.WaitForExternalEvent<DurableKube.Workflows.Reconcile.Wake>(DurableKube.Workflows.Reconcile.Wake.EventName, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<DurableKube.Workflows.Reconcile.Wake>().Task);
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
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is DurableKube.Workflows.Reconcile.LoopStatus
            && ((DurableKube.Workflows.Reconcile.LoopStatus)s).WaitingFor == "activity " + SyncPodActivity.Name
            && ((DurableKube.Workflows.Reconcile.LoopStatus)s).Detail is DurableKube.Domain.Kubelet.Timeline.PodRunsStatus)), Times.Once);
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

    /// <summary>Each controller's orchestration trigger, the activity its loop calls and the kind it controls.</summary>
    public static TheoryData<string, string, string> Controllers => new()
    {
        { ReplicaSetController.Name, SyncReplicaSetActivity.Name, ReplicaSetController.Definition.Kind.GroupResource },
        { JobController.Name, SyncJobActivity.Name, JobController.Definition.Kind.GroupResource },
        { CronJobController.Name, SyncCronJobActivity.Name, CronJobController.Definition.Kind.GroupResource },
        { DeploymentController.Name, SyncDeploymentActivity.Name, DeploymentController.Definition.Kind.GroupResource },
        { StatefulSetController.Name, SyncStatefulSetActivity.Name, StatefulSetController.Definition.Kind.GroupResource },
        { EndpointsController.Name, SyncEndpointsActivity.Name, EndpointsController.Definition.Kind.GroupResource },
        { NodeLifecycleController.Name, SyncNodeLifecycleActivity.Name, NodeLifecycleController.Definition.Kind.GroupResource },
    };

    private static Task<string?> RunController(string name, TaskOrchestrationContext context) => name switch
    {
        ReplicaSetController.Name => OrchestratorFunctions.ReplicaSetControllerAsync(context),
        JobController.Name => OrchestratorFunctions.JobControllerAsync(context),
        CronJobController.Name => OrchestratorFunctions.CronJobControllerAsync(context),
        DeploymentController.Name => OrchestratorFunctions.DeploymentControllerAsync(context),
        StatefulSetController.Name => OrchestratorFunctions.StatefulSetControllerAsync(context),
        EndpointsController.Name => OrchestratorFunctions.EndpointsControllerAsync(context),
        NodeLifecycleController.Name => OrchestratorFunctions.NodeLifecycleControllerAsync(context),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such controller wrapper."),
    };

    [Theory]
    [MemberData(nameof(Controllers))]
    public async Task A_controller_reads_its_object_and_syncs_it_with_its_own_activity_until_it_is_gone(string orchestrator, string activity, string resource)
    {
        var reference = new ControllerRef(resource, "default", "web", "u-3");
        var context = StrictContext(orchestrator, "ctl-u-3");
        context.Setup(c => c.GetInput<ReconcileInput<ControllerState>>()).Returns(new ReconcileInput<ControllerState>(new ControllerState(reference)));
        context
            .Setup(c => c.CallActivityAsync<ControllerSyncResult>(It.Is<TaskName>(n => n.Name == activity), reference, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(ControllerSyncResult.ObjectGone);

        var result = await RunController(orchestrator, context.Object);

        Assert.Equal("web", result);
        context.Verify(c => c.GetInput<ReconcileInput<ControllerState>>(), Times.Once);
        context.Verify(c => c.CallActivityAsync<ControllerSyncResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public async Task GarbageCollection_reads_its_owner_and_collects_until_the_owner_needs_nothing_more()
    {
        var owner = new OwnerRef("apps/v1", "ReplicaSet", "default", "web", "u-4");
        var context = StrictContext(GarbageCollectionOrchestrator.Name, owner.WorkflowInstanceId);
        context.Setup(c => c.GetInput<ReconcileInput<GarbageCollectionState>>()).Returns(new ReconcileInput<GarbageCollectionState>(new GarbageCollectionState(owner)));
        context
            .Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == CollectGarbageActivity.Name), owner, It.IsAny<TaskOptions?>()))
            .ReturnsAsync(true);

        var result = await OrchestratorFunctions.GarbageCollectionAsync(context.Object);

        Assert.Equal("web", result);
        context.Verify(c => c.GetInput<ReconcileInput<GarbageCollectionState>>(), Times.Once);
        context.Verify(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), owner, It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public void Every_orchestrator_of_the_catalog_is_covered_by_a_test_here()
    {
        // The node agent's loop and the resync are tested in NodeAgentLoopTests.
        var covered = new[] { PodLifecycleOrchestrator.Name, NamespaceTerminationOrchestrator.Name, GarbageCollectionOrchestrator.Name,
                DurableKube.Workflows.Nodes.NodeAgentLoop.Name, DurableKube.Workflows.Dispatch.ResyncOrchestrator.Name }
            .Concat(Controllers.Select(row => (string)row[0]));

        Assert.Equal(DurableKube.Workflows.Hosting.WorkflowCatalog.Orchestrators.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }
}
