using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DurableKube.Domain.Serialization;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// Turns changes from the work queue into starting or signalling the workflow that owns the object:
/// a pod's lifecycle, a namespace's termination. It reads the current object from the store, so a
/// change handled twice, late or out of order does no harm.
/// </summary>
public sealed class ChangeDispatcher
{
    private readonly IObjectStore _store;
    private readonly IWorkflowClient _workflows;
    private readonly IOptionsMonitor<KubeletOptions> _kubelet;
    private readonly TimeProvider _time;
    private readonly ILogger<ChangeDispatcher> _logger;

    /// <summary>Initializes a new instance of the <see cref="ChangeDispatcher"/> class.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="workflows">Starts and signals workflows.</param>
    /// <param name="kubelet">The kubelet options new pod workflows start with.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ChangeDispatcher(IObjectStore store, IWorkflowClient workflows, IOptionsMonitor<KubeletOptions> kubelet, TimeProvider time, ILogger<ChangeDispatcher> logger)
    {
        _store = store;
        _workflows = workflows;
        _kubelet = kubelet;
        _time = time;
        _logger = logger;
    }

    /// <summary>Handles one change.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once the owning workflow has been started or signalled.</returns>
    public async Task DispatchAsync(ObjectChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        Log.Dispatching(_logger, change.Type.ToString(), change.Resource, change.Namespace, change.Name);
        if (change.Resource == ResourceTypes.Pods.GroupResource)
        {
            await DispatchPodAsync(change, cancellationToken);
        }
        else if (change.Resource == ResourceTypes.Namespaces.GroupResource)
        {
            await DispatchNamespaceAsync(change, cancellationToken);
        }
    }

    /// <summary>
    /// Makes sure every pod has its workflow and every deletion reached it: run at start-up and now and
    /// then, it covers a change lost between a store write and its queue message.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once every object has been looked at.</returns>
    public async Task ResyncAsync(CancellationToken cancellationToken = default)
    {
        var pods = await _store.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken);
        foreach (var pod in pods.Items.Cast<V1Pod>())
        {
            await EnsurePodWorkflowAsync(pod, cancellationToken);
        }

        var namespaces = await _store.ListAsync(ResourceTypes.Namespaces, null, ListQuery.All, cancellationToken);
        var terminating = namespaces.Items.Cast<V1Namespace>().Where(n => n.Metadata.DeletionTimestamp is not null).ToList();
        foreach (var ns in terminating)
        {
            await EnsureNamespaceWorkflowAsync(ns, cancellationToken);
        }

        Log.Resynced(_logger, pods.Items.Count, terminating.Count);
    }

    private async Task DispatchPodAsync(ObjectChange change, CancellationToken cancellationToken)
    {
        var pod = await _store.GetAsync<V1Pod>(ResourceTypes.Pods, change.Namespace, change.Name, cancellationToken);
        if (pod?.Metadata.Uid != change.Uid)
        {
            // The pod the change was about is gone (removed outright, or replaced under the same name).
            var instanceId = PodIdentity.WorkflowInstanceIdFor(change.Uid);
            if (await _workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
            {
                await _workflows.RaiseEventAsync(
                    instanceId, PodSignal.EventName, new PodEvent(new PodDeletionRequested(_time.GetUtcNow(), ObjectGone: true)), cancellationToken);
            }
        }

        if (pod is not null)
        {
            await EnsurePodWorkflowAsync(pod, cancellationToken);
        }
    }

    private async Task EnsurePodWorkflowAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var state = PodLifecycle.Initialize(pod, _kubelet.CurrentValue.ToSettings());
        var instanceId = state.Pod.WorkflowInstanceId;
        if (await _workflows.StartIfAbsentAsync(PodLifecycleOrchestrator.Name, instanceId, state, cancellationToken))
        {
            Log.WorkflowStarted(_logger, instanceId, "pods", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
            return;
        }

        if (pod.Metadata.DeletionTimestamp is { } deletion)
        {
            var killAt = KubeTime.ToInstant(deletion);
            await _workflows.RaiseEventAsync(
                instanceId, PodSignal.EventName, new PodEvent(new PodDeletionRequested(killAt, ObjectGone: false)), cancellationToken);
        }
    }

    private async Task DispatchNamespaceAsync(ObjectChange change, CancellationToken cancellationToken)
    {
        var ns = await _store.GetAsync<V1Namespace>(ResourceTypes.Namespaces, null, change.Name, cancellationToken);
        if (ns?.Metadata.Uid == change.Uid && ns.Metadata.DeletionTimestamp is not null)
        {
            await EnsureNamespaceWorkflowAsync(ns, cancellationToken);
        }
    }

    private async Task EnsureNamespaceWorkflowAsync(V1Namespace ns, CancellationToken cancellationToken)
    {
        var input = new Namespaces.NamespaceRef(ns.Metadata.Name, ns.Metadata.Uid);
        if (await _workflows.StartIfAbsentAsync(Namespaces.NamespaceTerminationOrchestrator.Name, input.WorkflowInstanceId, input, cancellationToken))
        {
            Log.WorkflowStarted(_logger, input.WorkflowInstanceId, "namespaces", null, ns.Metadata.Name);
        }
    }
}
