using DurableKube.Domain.Events;
using DurableKube.Domain.Nodes;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Ports.Events;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// One sync of a node's lifecycle (Kubernetes' node lifecycle controller and taint manager for that node): reads the
/// Node and the pods bound to it, lets <see cref="NodeLifecycle.Plan"/> decide, and writes what it says: the node's
/// conditions Unknown, its taints, its pods' Ready condition, and the deletion of the pods whose toleration ran out
/// (a <c>DisruptionTarget</c> condition first, then a graceful delete, so their controllers replace them). Idempotent:
/// each write is computed from the store as it is now.
/// </summary>
public sealed class SyncNodeLifecycleActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncNodeLifecycle";

    private readonly ObjectRegistry _registry;
    private readonly IOptionsMonitor<NodeLifecycleOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncNodeLifecycleActivity> _logger;
    private readonly IEventRecorder _events;

    /// <summary>Initializes a new instance of the <see cref="SyncNodeLifecycleActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="options">The grace period.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="events">Where the controller's events go; none if not given.</param>
    public SyncNodeLifecycleActivity(
        ObjectRegistry registry, IOptionsMonitor<NodeLifecycleOptions> options, TimeProvider time, ILogger<SyncNodeLifecycleActivity> logger, IEventRecorder? events = null)
    {
        _events = events ?? NullEventRecorder.Instance;
        _registry = registry;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Syncs the node once.</summary>
    /// <param name="reference">The node.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>
    /// When to look again (the end of the grace period, the next eviction); idle while nothing is left to watch (no pod
    /// holds the node and no eviction is due), until a binding to the node or a change of the Node wakes it; gone only when
    /// the node is gone. The workflow does not end while its node is there: a wake raised while it completed would be
    /// dropped with it, and a node gone silent would be noticed only at the dispatcher's next resync.
    /// </returns>
    public async Task<ControllerSyncResult> RunAsync(ControllerRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var node = await _registry.GetAsync<V1Node>(ResourceTypes.Nodes, null, reference.Name, cancellationToken);
        if (node is null || node.Metadata.Uid != reference.Uid)
        {
            return ControllerSyncResult.ObjectGone;
        }

        var pods = await _registry.ListAsync<V1Pod>(ResourceTypes.Pods, null, p => p.Spec?.NodeName == reference.Name, cancellationToken);
        var now = _time.GetUtcNow();
        var grace = _options.CurrentValue.GracePeriod;
        var plan = NodeLifecycle.Plan(node, pods, now, grace);
        var key = new ObjectKey(ResourceTypes.Nodes, null, reference.Name);
        var precondition = new Preconditions(Uid: reference.Uid);
        if (plan.MarkUnknown)
        {
            await _registry.UpdateAsync(key, obj =>
            {
                var stored = (V1Node)obj;
                if (!NodeLifecycle.IsSilent(stored, holdsPods: true, now, grace))
                {
                    return null; // It reported meanwhile.
                }

                NodeLifecycle.MarkUnknown(stored, now);
                return stored;
            }, UpdateOptions.Status(reference.Uid), cancellationToken);
            Log.NodeStatusUnknown(_logger, reference.Name, now - (NodeLifecycle.LastHeartbeat(node) ?? now));
            _events.Record(new EventReport(NodeController, null, EventReport.Reference(node), EventReport.Normal, "NodeNotReady", $"Node {reference.Name} status is now: NodeNotReady"));
        }

        if (plan.Taints is not null)
        {
            var written = await _registry.UpdateAsync(key, obj =>
            {
                var stored = (V1Node)obj;
                var taints = NodeLifecycle.Taints(stored, now);
                if (NodeLifecycle.SameTaints(stored.Spec?.Taints, taints))
                {
                    return null;
                }

                stored.Spec ??= new V1NodeSpec();
                stored.Spec.Taints = taints.Count == 0 ? null : taints.ToList();
                return stored;
            }, new UpdateOptions(Preconditions: precondition), cancellationToken);
            if (written.Changed)
            {
                Log.NodeTainted(_logger, reference.Name, string.Join(", ", plan.Taints.Select(t => $"{t.Key}:{t.Effect}")));
            }
        }

        foreach (var pod in pods)
        {
            var name = pod.Metadata.Name;
            var ns = pod.Metadata.NamespaceProperty;
            if (plan.PodsNotReady.Contains(name))
            {
                await UpdatePodStatusAsync(pod, p => NodeLifecycle.MarkPodNotReady(p, now), cancellationToken);
                Log.PodMarkedNotReady(_logger, ns, name, reference.Name);
                _events.Record(new EventReport(NodeController, null, EventReport.Reference(pod), EventReport.Warning, "NodeNotReady", "Node is not ready"));
            }
            else if (plan.PodsReadyAgain.Contains(name))
            {
                await UpdatePodStatusAsync(pod, p => NodeLifecycle.RestorePodReady(p, now), cancellationToken);
            }

            if (plan.Evict.Contains(name))
            {
                await EvictAsync(pod, reference.Name, now, cancellationToken);
            }
        }

        var holdsPods = pods.Any(p => !NodeLifecycle.Finished(p) && !plan.Evict.Contains(p.Metadata.Name));
        return holdsPods || plan.RequeueAt is not null
            ? new ControllerSyncResult(false, plan.RequeueAt)
            : ControllerSyncResult.Idling;
    }

    /// <summary>The component the node lifecycle controller's events name.</summary>
    public const string NodeController = "node-controller";

    private async Task UpdatePodStatusAsync(V1Pod pod, Func<V1Pod, bool> change, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.UpdateAsync(
                new ObjectKey(ResourceTypes.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name),
                obj => change((V1Pod)obj) ? obj : null,
                UpdateOptions.Status(pod.Metadata.Uid),
                cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone, or another pod of the same name now: nothing of ours to mark.
        }
    }

    private async Task EvictAsync(V1Pod pod, string node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Log.TaintManagerEviction(_logger, pod.Metadata.NamespaceProperty, pod.Metadata.Name, node);
        _events.Record(new EventReport(
            "taint-eviction-controller", null, EventReport.Reference(pod), EventReport.Normal, "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}"));
        await UpdatePodStatusAsync(
            pod,
            p => p.Metadata.DeletionTimestamp is null
                && NodeLifecycle.MarkDisruptionTarget(p, NodeLifecycle.DeletionByTaintManager, NodeLifecycle.DeletionByTaintManagerMessage, now),
            cancellationToken);
        try
        {
            await _registry.DeleteAsync(
                new ObjectKey(ResourceTypes.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name), DeleteOptions.ForUid(pod.Metadata.Uid), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already.
        }
    }
}
