using DurableKube.Domain.Changes;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.GarbageCollection;

/// <summary>
/// The garbage collector's ears: it watches every kind, and starts an owner's collection workflow
/// (<see cref="GarbageCollectionOrchestrator"/>, one per owner uid) when the owner is removed, when its
/// deletion asks for orphaning or foreground propagation, and when an object names an owner that does not
/// exist; it wakes a foreground collection when a dependent that blocks it is removed. Its resync sweeps every
/// object for owner references that point nowhere.
/// </summary>
public sealed class GarbageCollectorHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly KindRegistry _kinds;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly ILogger<GarbageCollectorHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="GarbageCollectorHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="kinds">The served kinds: it watches them all.</param>
    /// <param name="reconcile">How collection workflows retry failed work.</param>
    /// <param name="logger">The logger.</param>
    public GarbageCollectorHandler(IObjectStore store, KindRegistry kinds, IOptionsMonitor<ReconcileOptions> reconcile, ILogger<GarbageCollectorHandler> logger)
    {
        _store = store;
        _kinds = kinds;
        _reconcile = reconcile;
        _logger = logger;
        Watches = [.. kinds.All.Select(k => k.Type)];
    }

    /// <inheritdoc />
    public ResourceType? Kind => null;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches { get; }

    /// <summary>
    /// The removal of a kind that collects its dependents; a deletion that asks for orphaning or foreground
    /// propagation; an object created or re-owned with owners (which may not exist); the removal of a
    /// dependent that blocked a foreground deletion.
    /// </summary>
    /// <param name="change">A change of any kind.</param>
    /// <returns>Whether the collector must look.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return (change.Type == ObjectChangeType.Deleted && (_kinds.Find(change.Resource)?.CollectsDependents == true || change.Owners.Any(o => o.BlockOwnerDeletion)))
            || (change.Type == ObjectChangeType.Modified && change.Deleting && (change.Facets & (ChangeFacets.Deletion | ChangeFacets.Finalizers)) != 0
                && change.Finalizers.Any(f => f is DeletionPropagation.OrphanFinalizer or DeletionPropagation.ForegroundFinalizer))
            || (!change.Deleting && change.Owners.Count > 0 && (change.Type == ObjectChangeType.Added || change.Facets.HasFlag(ChangeFacets.Owners)));
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        var kind = _kinds.Find(change.Resource);
        if (change.Type == ObjectChangeType.Deleted)
        {
            if (kind?.CollectsDependents == true)
            {
                await EnsureAsync(workflows, new OwnerRef(kind.Type.ApiVersion, kind.Type.Kind, change.Namespace, change.Name, change.Uid), cancellationToken);
            }

            foreach (var blocked in change.Owners.Where(o => o.BlockOwnerDeletion))
            {
                var instanceId = new OwnerRef(blocked.ApiVersion, blocked.Kind, change.Namespace, blocked.Name, blocked.Uid).WorkflowInstanceId;
                if (await workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
                {
                    await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake($"{change.Resource} {change.Namespace}/{change.Name} removed"), cancellationToken);
                }
            }

            return;
        }

        if (change.Deleting && kind is not null)
        {
            await EnsureAsync(workflows, new OwnerRef(kind.Type.ApiVersion, kind.Type.Kind, change.Namespace, change.Name, change.Uid), cancellationToken);
            return;
        }

        foreach (var owner in change.Owners)
        {
            var reference = new OwnerRef(owner.ApiVersion, owner.Kind, change.Namespace, owner.Name, owner.Uid);
            if (await IsMissingAsync(reference, cancellationToken))
            {
                await EnsureAsync(workflows, reference, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Sweeps every object: an owner reference to an object that does not exist starts that owner's
    /// collection, and so does an object being deleted with a propagation finalizer.
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many objects were looked at.</returns>
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var all = new List<(KindDescriptor Kind, IKubernetesObject<V1ObjectMeta> Object)>();
        foreach (var kind in _kinds.All)
        {
            var list = await _store.ListAsync(kind.Type, null, ListQuery.All, cancellationToken);
            all.AddRange(list.Items.Select(o => (kind, o)));
        }

        var uids = all.Select(o => o.Object.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<string, OwnerRef>(StringComparer.Ordinal);
        foreach (var (kind, obj) in all)
        {
            var meta = obj.Metadata;
            if (meta.DeletionTimestamp is not null && DeletionPropagation.Pending(meta) is not null)
            {
                owners.TryAdd(meta.Uid, new OwnerRef(kind.Type.ApiVersion, kind.Type.Kind, meta.NamespaceProperty, meta.Name, meta.Uid));
            }

            foreach (var reference in meta.OwnerReferences ?? [])
            {
                // An owner of a kind not served here cannot be checked, and is left alone.
                if (!uids.Contains(reference.Uid) && _kinds.FindByKind(reference.ApiVersion, reference.Kind) is not null)
                {
                    owners.TryAdd(reference.Uid, new OwnerRef(reference.ApiVersion, reference.Kind, meta.NamespaceProperty, reference.Name, reference.Uid));
                }
            }
        }

        foreach (var owner in owners.Values)
        {
            await EnsureAsync(workflows, owner, cancellationToken);
        }

        return all.Count;
    }

    private async Task<bool> IsMissingAsync(OwnerRef owner, CancellationToken cancellationToken)
    {
        if (_kinds.FindByKind(owner.ApiVersion, owner.Kind) is not { } kind)
        {
            return false;
        }

        var found = await _store.GetAsync(new ObjectKey(kind.Type, kind.Type.Namespaced ? owner.Namespace : null, owner.Name), cancellationToken);
        return found?.Metadata.Uid != owner.Uid;
    }

    private async Task EnsureAsync(IWorkflowClient workflows, OwnerRef owner, CancellationToken cancellationToken)
    {
        var (found, started) = await workflows.EnsureRunningAsync(
            new WorkflowStart(
                GarbageCollectionOrchestrator.Name,
                owner.WorkflowInstanceId,
                () => new ReconcileInput<GarbageCollectionState>(new GarbageCollectionState(owner), Timings: _reconcile.CurrentValue.ToTimings()),
                CompletedNeedsRestart: true,
                owner.Kind,
                owner.Namespace,
                owner.Name),
            _logger,
            cancellationToken);
        if (!started && found == WorkflowInstanceState.Running)
        {
            await workflows.RaiseEventAsync(owner.WorkflowInstanceId, Wake.EventName, new Wake("owner changed"), cancellationToken);
        }
    }
}
