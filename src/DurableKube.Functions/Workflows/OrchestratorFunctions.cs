using DurableKube.Domain.Kubelet;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.StatefulSets;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DurableKube.Functions.Workflows;

/// <summary>
/// The orchestrators of the <see cref="WorkflowCatalog"/>, as orchestration triggers. Each reads its
/// input with its real type and runs the shared orchestrator body; a test checks every catalog name has one.
/// </summary>
public static class OrchestratorFunctions
{
    /// <summary>The kubelet of one pod.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The pod's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(PodLifecycleOrchestrator.Name)]
    public static Task<string?> PodLifecycleAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PodLifecycleOrchestrator.RunAsync(context, InputOf<ReconcileInput<PodLifecycleState>>(context));
    }

    /// <summary>The termination of one namespace.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The namespace's name once removed, or <see langword="null"/> after continue-as-new.</returns>
    [Function(NamespaceTerminationOrchestrator.Name)]
    public static Task<string?> NamespaceTerminationAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NamespaceTerminationOrchestrator.RunAsync(context, InputOf<ReconcileInput<NamespaceTermination>>(context));
    }

    /// <summary>The garbage collector's work for one owner.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The owner's name once done, or <see langword="null"/> after continue-as-new.</returns>
    [Function(GarbageCollectionOrchestrator.Name)]
    public static Task<string?> GarbageCollectionAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return GarbageCollectionOrchestrator.RunAsync(context, InputOf<ReconcileInput<GarbageCollectionState>>(context));
    }

    /// <summary>The controller of one ReplicaSet.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The ReplicaSet's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(ReplicaSetController.Name)]
    public static Task<string?> ReplicaSetControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReplicaSetController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The controller of one Job.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The Job's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(JobController.Name)]
    public static Task<string?> JobControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return JobController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The controller of one CronJob.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The CronJob's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(CronJobController.Name)]
    public static Task<string?> CronJobControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CronJobController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The controller of one Deployment.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The Deployment's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(DeploymentController.Name)]
    public static Task<string?> DeploymentControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return DeploymentController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The controller of one StatefulSet.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The StatefulSet's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(StatefulSetController.Name)]
    public static Task<string?> StatefulSetControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StatefulSetController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The endpoints controller of one Service.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The Service's name once it is gone, or <see langword="null"/> after continue-as-new.</returns>
    [Function(EndpointsController.Name)]
    public static Task<string?> EndpointsControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return EndpointsController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The agent of one node, while the node holds pods.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The node's name once it is empty, or <see langword="null"/> after continue-as-new.</returns>
    [Function(NodeAgentLoop.Name)]
    public static Task<string?> NodeAgentLoopAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NodeAgentLoop.RunAsync(context, InputOf<NodeAgentLoopState>(context));
    }

    /// <summary>The node lifecycle controller of one node, while it has something to watch.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>The node's name once done, or <see langword="null"/> after continue-as-new.</returns>
    [Function(NodeLifecycleController.Name)]
    public static Task<string?> NodeLifecycleControllerAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NodeLifecycleController.RunAsync(context, InputOf<ReconcileInput<ControllerState>>(context));
    }

    /// <summary>The dispatcher's resync, some time after changes.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <returns>How many handlers resynced.</returns>
    [Function(ResyncOrchestrator.Name)]
    public static Task<int> DispatcherResyncAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ResyncOrchestrator.RunAsync(context, InputOf<ResyncRequest>(context));
    }

    private static T InputOf<T>(TaskOrchestrationContext context)
        where T : class =>
        context.GetInput<T>()
        ?? throw new InvalidOperationException($"Orchestration {context.Name} ({context.InstanceId}) has no {typeof(T).Name} input.");
}
