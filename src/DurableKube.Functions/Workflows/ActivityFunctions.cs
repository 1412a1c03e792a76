using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.StatefulSets;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Workflows;

/// <summary>
/// The activities of the <see cref="WorkflowCatalog"/>, as activity triggers with their real input
/// types, each delegating to its activity class resolved from the invocation's services (as
/// <see cref="WorkflowCatalog.Register"/> does for the other hosts).
/// </summary>
public static class ActivityFunctions
{
    /// <summary>Runs a pod's plan: bind, sandbox, start, stop, remove, and writes its status.</summary>
    /// <param name="request">The pod's state and the commands.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>The outcomes.</returns>
    [Function(SyncPodActivity.Name)]
    public static Task<SyncPodResult> SyncPodAsync([ActivityTrigger] SyncPodRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncPodActivity>().RunAsync(request, context.CancellationToken);
    }

    /// <summary>Looks at a terminating namespace: deletes what it holds, and once it holds nothing, finalizes it.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>What is left, and whether the namespace is gone.</returns>
    [Function(SyncNamespaceActivity.Name)]
    public static Task<NamespaceSyncResult> SyncNamespaceAsync([ActivityTrigger] NamespaceRef ns, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncNamespaceActivity>().RunAsync(ns, context.CancellationToken);
    }

    /// <summary>Looks at an owner for the garbage collector: collects, orphans or waits for its dependents.</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether the owner needs nothing more.</returns>
    [Function(CollectGarbageActivity.Name)]
    public static Task<bool> CollectGarbageAsync([ActivityTrigger] OwnerRef owner, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<CollectGarbageActivity>().RunAsync(owner, context.CancellationToken);
    }

    /// <summary>Syncs a ReplicaSet once: claims, creates or deletes pods, writes its status.</summary>
    /// <param name="reference">The ReplicaSet.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    [Function(SyncReplicaSetActivity.Name)]
    public static Task<ControllerSyncResult> SyncReplicaSetAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncReplicaSetActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a Job once: counts finished pods, creates or deletes pods, writes its status.</summary>
    /// <param name="reference">The Job.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    [Function(SyncJobActivity.Name)]
    public static Task<ControllerSyncResult> SyncJobAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncJobActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a CronJob once: makes the Job of a due scheduled time, trims its history, writes its status.</summary>
    /// <param name="reference">The CronJob.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    [Function(SyncCronJobActivity.Name)]
    public static Task<ControllerSyncResult> SyncCronJobAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncCronJobActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a Deployment once: claims, creates and scales its ReplicaSets, writes its status.</summary>
    /// <param name="reference">The Deployment.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    [Function(SyncDeploymentActivity.Name)]
    public static Task<ControllerSyncResult> SyncDeploymentAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncDeploymentActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a StatefulSet once: makes its revision, creates or deletes pods in ordinal order, writes its status.</summary>
    /// <param name="reference">The StatefulSet.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone, and when to look again.</returns>
    [Function(SyncStatefulSetActivity.Name)]
    public static Task<ControllerSyncResult> SyncStatefulSetAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncStatefulSetActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a Service's Endpoints and EndpointSlices once.</summary>
    /// <param name="reference">The Service.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether it is gone (or has no selector).</returns>
    [Function(SyncEndpointsActivity.Name)]
    public static Task<ControllerSyncResult> SyncEndpointsAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncEndpointsActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Syncs a node's lifecycle once: Unknown after its grace period, its taints, its pods' Ready, evictions.</summary>
    /// <param name="reference">The node.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>When to look again, or whether the node is gone.</returns>
    [Function(SyncNodeLifecycleActivity.Name)]
    public static Task<ControllerSyncResult> SyncNodeLifecycleAsync([ActivityTrigger] ControllerRef reference, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<SyncNodeLifecycleActivity>().RunAsync(reference, context.CancellationToken);
    }

    /// <summary>Observes a node once: heartbeat, exits raised to the pods' workflows, orphans stopped; and whether it still holds pods.</summary>
    /// <param name="node">The node's name.</param>
    /// <param name="client">This invocation's Durable Task client, which raises the exits.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>Whether to keep observing, and when.</returns>
    [Function(ObserveNodeActivity.Name)]
    public static Task<NodeObservation> ObserveNodeAsync([ActivityTrigger] string node, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<ObserveNodeActivity>()
            .RunAsync(node, new DurableTaskClientWorkflowClient(client), context.CancellationToken);
    }

    /// <summary>Resyncs every change handler: every object that needs a workflow gets a running one.</summary>
    /// <param name="request">The resync request.</param>
    /// <param name="client">This invocation's Durable Task client, which starts what is missing.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>How many handlers resynced.</returns>
    [Function(ResyncChangesActivity.Name)]
    public static Task<int> ResyncChangesAsync([ActivityTrigger] ResyncRequest request, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InstanceServices.GetRequiredService<ResyncChangesActivity>()
            .RunAsync(request, new DurableTaskClientWorkflowClient(client), context.CancellationToken);
    }
}
