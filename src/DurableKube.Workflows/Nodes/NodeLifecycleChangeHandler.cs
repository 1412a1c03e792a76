using DurableKube.Domain.Changes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Nodes;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// The dispatcher's handler of the node lifecycle controllers (their informers): a Node's creation, a change of its spec
/// (a cordon) or of its Ready condition's status (turning Unknown, reporting again) wakes its
/// <see cref="NodeLifecycleController"/>, starting it if it ended; a pod's binding to a node starts that node's controller,
/// which then watches the node's heartbeat while it holds pods. A kubelet's heartbeat that leaves Ready as it was is wanted
/// by nobody, so a healthy node costs no change message.
/// </summary>
public sealed class NodeLifecycleChangeHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeLifecycleChangeHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="NodeLifecycleChangeHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="reconcile">How new controller workflows retry failed work.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public NodeLifecycleChangeHandler(IObjectStore store, IOptionsMonitor<ReconcileOptions> reconcile, TimeProvider time, ILogger<NodeLifecycleChangeHandler> logger)
    {
        _store = store;
        _reconcile = reconcile;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public ResourceType? Kind => ResourceTypes.Nodes;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches { get; } = [ResourceTypes.Pods];

    /// <summary>
    /// Of a Node: its creation, or a write that changed anything but its status, or its Ready condition's status. Of a pod:
    /// its binding to a node.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <returns>Whether to wake a node's controller for it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Nodes.GroupResource)
        {
            // NodeReady is not part of Status: a heartbeat that changes only the status's times is not wanted.
            return change.Type == ObjectChangeType.Added
                || (change.Type == ObjectChangeType.Modified && (change.Facets & ~ChangeFacets.Status) != ChangeFacets.None);
        }

        return change.Resource == ResourceTypes.Pods.GroupResource && change.Subresource == Subresource.Binding.Name;
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        var reason = $"{change.Type} {change.Resource} {change.Namespace}/{change.Name}";
        var nodeName = change.Name;
        if (change.Resource == ResourceTypes.Pods.GroupResource)
        {
            var pod = await _store.GetAsync(new ObjectKey(ResourceTypes.Pods, change.Namespace, change.Name), cancellationToken) as V1Pod;
            if (pod?.Metadata.Uid != change.Uid || string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                return;
            }

            nodeName = pod.Spec.NodeName;
        }

        if (await _store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, nodeName), cancellationToken) is V1Node node)
        {
            await EnsureAsync(workflows, node, reason, cancellationToken);
        }
    }

    /// <summary>Starts the controller of every node that holds pods, or whose taints are not what its state says.</summary>
    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var nodes = (await _store.ListAsync(ResourceTypes.Nodes, null, ListQuery.All, cancellationToken)).Items.Cast<V1Node>().ToList();
        if (nodes.Count == 0)
        {
            return 0;
        }

        var pods = (await _store.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken)).Items.Cast<V1Pod>().ToList();
        var now = _time.GetUtcNow();
        foreach (var node in nodes)
        {
            var holds = pods.Any(p => p.Spec?.NodeName == node.Metadata.Name && !NodeLifecycle.Finished(p));
            if (holds || !NodeLifecycle.SameTaints(node.Spec?.Taints, NodeLifecycle.Taints(node, now)))
            {
                await EnsureAsync(workflows, node, reason: null, cancellationToken);
            }
        }

        return nodes.Count;
    }

    /// <summary>Starts the node's controller if none runs (one that failed, was terminated or completed is started again), or wakes it.</summary>
    private async Task EnsureAsync(IWorkflowClient workflows, V1Node node, string? reason, CancellationToken cancellationToken)
    {
        var meta = node.Metadata;
        var instanceId = NodeLifecycleController.Definition.InstanceIdFor(meta.Uid);
        var reference = new ControllerRef(ResourceTypes.Nodes.GroupResource, null, meta.Name, meta.Uid);
        var (found, started) = await workflows.EnsureRunningAsync(
            new WorkflowStart(
                NodeLifecycleController.Name,
                instanceId,
                () => new ReconcileInput<ControllerState>(new ControllerState(reference), Timings: _reconcile.CurrentValue.ToTimings()),
                CompletedNeedsRestart: true,
                ResourceTypes.Nodes.GroupResource,
                null,
                meta.Name),
            _logger,
            cancellationToken);
        if (!started && reason is not null && found == WorkflowInstanceState.Running)
        {
            await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake(reason), cancellationToken);
        }
    }
}
