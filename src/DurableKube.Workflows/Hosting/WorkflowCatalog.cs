using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.StatefulSets;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Workflows.Hosting;

/// <summary>
/// Every orchestrator and activity, in one list, so each host registers the same set: the local host
/// and the test host through <see cref="Register"/>, the Functions app through its [Function] wrappers
/// (a test checks they match this list).
/// </summary>
public static class WorkflowCatalog
{
    /// <summary>Gets the names of the orchestrators.</summary>
    public static IReadOnlyList<string> Orchestrators { get; } =
        [PodLifecycleOrchestrator.Name, NamespaceTerminationOrchestrator.Name, GarbageCollectionOrchestrator.Name, ReplicaSetController.Name,
         JobController.Name, CronJobController.Name, DeploymentController.Name, StatefulSetController.Name, EndpointsController.Name,
         NodeAgentLoop.Name, NodeLifecycleController.Name, ResyncOrchestrator.Name];

    /// <summary>Gets the names of the activities.</summary>
    public static IReadOnlyList<string> Activities { get; } =
        [SyncPodActivity.Name, SyncNamespaceActivity.Name, CollectGarbageActivity.Name, SyncReplicaSetActivity.Name,
         SyncJobActivity.Name, SyncCronJobActivity.Name, SyncDeploymentActivity.Name, SyncStatefulSetActivity.Name, SyncEndpointsActivity.Name,
         ObserveNodeActivity.Name, SyncNodeLifecycleActivity.Name, ResyncChangesActivity.Name];

    /// <summary>Registers every orchestrator and activity.</summary>
    /// <param name="registrar">What to register them with.</param>
    public static void Register(IWorkflowRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddOrchestrator<ReconcileInput<PodLifecycleState>, string?>(PodLifecycleOrchestrator.Name, PodLifecycleOrchestrator.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<NamespaceTermination>, string?>(NamespaceTerminationOrchestrator.Name, NamespaceTerminationOrchestrator.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<GarbageCollectionState>, string?>(GarbageCollectionOrchestrator.Name, GarbageCollectionOrchestrator.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(ReplicaSetController.Name, ReplicaSetController.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(JobController.Name, JobController.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(CronJobController.Name, CronJobController.RunAsync);
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(StatefulSetController.Name, StatefulSetController.RunAsync);
        registrar.AddActivity<SyncPodRequest, SyncPodResult>(
            SyncPodActivity.Name, (services, input, ct) => services.GetRequiredService<SyncPodActivity>().RunAsync(input, ct));
        registrar.AddActivity<NamespaceRef, NamespaceSyncResult>(
            SyncNamespaceActivity.Name, (services, input, ct) => services.GetRequiredService<SyncNamespaceActivity>().RunAsync(input, ct));
        registrar.AddActivity<OwnerRef, bool>(
            CollectGarbageActivity.Name, (services, input, ct) => services.GetRequiredService<CollectGarbageActivity>().RunAsync(input, ct));
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncReplicaSetActivity.Name, (services, input, ct) => services.GetRequiredService<SyncReplicaSetActivity>().RunAsync(input, ct));
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncJobActivity.Name, (services, input, ct) => services.GetRequiredService<SyncJobActivity>().RunAsync(input, ct));
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncCronJobActivity.Name, (services, input, ct) => services.GetRequiredService<SyncCronJobActivity>().RunAsync(input, ct));
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(DeploymentController.Name, DeploymentController.RunAsync);
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncDeploymentActivity.Name, (services, input, ct) => services.GetRequiredService<SyncDeploymentActivity>().RunAsync(input, ct));
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncStatefulSetActivity.Name, (services, input, ct) => services.GetRequiredService<SyncStatefulSetActivity>().RunAsync(input, ct));
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(EndpointsController.Name, EndpointsController.RunAsync);
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncEndpointsActivity.Name, (services, input, ct) => services.GetRequiredService<SyncEndpointsActivity>().RunAsync(input, ct));
        registrar.AddOrchestrator<NodeAgentLoopState, string?>(NodeAgentLoop.Name, NodeAgentLoop.RunAsync);
        registrar.AddActivity<string, NodeObservation>(
            ObserveNodeActivity.Name,
            (services, input, ct) => services.GetRequiredService<ObserveNodeActivity>().RunAsync(input, services.GetRequiredService<IWorkflowClient>(), ct));
        registrar.AddOrchestrator<ReconcileInput<ControllerState>, string?>(NodeLifecycleController.Name, NodeLifecycleController.RunAsync);
        registrar.AddActivity<ControllerRef, ControllerSyncResult>(
            SyncNodeLifecycleActivity.Name, (services, input, ct) => services.GetRequiredService<SyncNodeLifecycleActivity>().RunAsync(input, ct));
        registrar.AddOrchestrator<ResyncRequest, int>(ResyncOrchestrator.Name, ResyncOrchestrator.RunAsync);
        registrar.AddActivity<ResyncRequest, int>(
            ResyncChangesActivity.Name,
            (services, input, ct) => services.GetRequiredService<ResyncChangesActivity>().RunAsync(input, services.GetRequiredService<IWorkflowClient>(), ct));
    }
}
