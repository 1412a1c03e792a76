using DurableKube.Domain.Deletion;
using DurableKube.Domain.GarbageCollection;
using DurableKube.Domain.Kinds;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.GarbageCollection;

/// <summary>
/// One look of the garbage collector at an owner: reads the owner and the objects that name it in their
/// ownerReferences, lets <see cref="Domain.GarbageCollection.GarbageCollection.Plan"/> decide, and carries the plan out
/// through the registry. Idempotent: what is done already is found done.
/// </summary>
public sealed class CollectGarbageActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "CollectGarbage";

    private readonly ObjectRegistry _registry;
    private readonly ILogger<CollectGarbageActivity> _logger;

    /// <summary>Initializes a new instance of the <see cref="CollectGarbageActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="logger">The logger.</param>
    public CollectGarbageActivity(ObjectRegistry registry, ILogger<CollectGarbageActivity> logger)
    {
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Looks at the owner and does what its state asks.</summary>
    /// <param name="owner">The owner.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Whether the owner needs nothing more.</returns>
    public async Task<bool> RunAsync(OwnerRef owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (_registry.Kinds.FindByKind(owner.ApiVersion, owner.Kind) is not { } kind)
        {
            // An owner of a kind this server does not serve cannot be checked; its dependents stay, as the
            // Kubernetes collector leaves them while it cannot resolve the owner.
            return true;
        }

        var ownerKey = new ObjectKey(kind.Type, kind.Type.Namespaced ? owner.Namespace : null, owner.Name);
        var found = await _registry.GetAsync(ownerKey, cancellationToken);
        var state = found?.Metadata.Uid == owner.Uid
            ? new OwnerState(true, found.Metadata.DeletionTimestamp is not null, DeletionPropagation.Pending(found.Metadata))
            : OwnerState.Gone;
        if (state.Exists && state.Pending is null)
        {
            return true;
        }

        var scope = await ListScopeAsync(kind.Type.Namespaced ? owner.Namespace : null, cancellationToken);
        var dependents = new List<Dependent>();
        foreach (var (type, obj) in scope.Where(o => o.Object.Metadata.OwnerReferences?.Any(r => r.Uid == owner.Uid) == true))
        {
            var meta = obj.Metadata;
            var reference = meta.OwnerReferences.First(r => r.Uid == owner.Uid);
            dependents.Add(new Dependent(
                type.Type.GroupResource,
                meta.NamespaceProperty,
                meta.Name,
                meta.Uid,
                reference.BlockOwnerDeletion == true,
                Deleting: meta.DeletionTimestamp is not null,
                HasSolidOwner: !state.Exists && await HasSolidOwnerAsync(meta, owner.Uid, cancellationToken),
                HasDependents: scope.Any(o => o.Object.Metadata.OwnerReferences?.Any(r => r.Uid == meta.Uid) == true)));
        }

        var plan = Domain.GarbageCollection.GarbageCollection.Plan(state, dependents);
        foreach (var action in plan.Actions)
        {
            await ExecuteAsync(action, owner, ownerKey, cancellationToken);
        }

        return plan.Done;
    }

    private async Task<List<(KindDescriptor Type, IKubernetesObject<V1ObjectMeta> Object)>> ListScopeAsync(string? @namespace, CancellationToken cancellationToken)
    {
        // A namespaced owner's dependents live in its namespace; a cluster-scoped owner's may be anywhere.
        var objects = new List<(KindDescriptor, IKubernetesObject<V1ObjectMeta>)>();
        foreach (var kind in _registry.Kinds.All.Where(k => @namespace is null || k.Type.Namespaced))
        {
            var list = await _registry.ListAsync(kind.Type, kind.Type.Namespaced ? @namespace : null, ListQuery.All, cancellationToken);
            objects.AddRange(list.Items.Select(o => (kind, o)));
        }

        return objects;
    }

    /// <summary>
    /// Whether one of the object's other owners is solid (garbagecollector.go, <c>classifyReferences</c>): it exists
    /// and is not waiting for its dependents' deletion (being deleted with the foregroundDeletion finalizer). An
    /// owner being deleted otherwise (in the background behind another finalizer, or orphaning) still holds it.
    /// </summary>
    private async Task<bool> HasSolidOwnerAsync(V1ObjectMeta meta, string ownerUid, CancellationToken cancellationToken)
    {
        foreach (var other in meta.OwnerReferences.Where(r => r.Uid != ownerUid))
        {
            if (_registry.Kinds.FindByKind(other.ApiVersion, other.Kind) is not { } kind)
            {
                // An owner that cannot be resolved is kept, as solid: the collector never deletes what it cannot check.
                return true;
            }

            var found = await _registry.GetAsync(new ObjectKey(kind.Type, kind.Type.Namespaced ? meta.NamespaceProperty : null, other.Name), cancellationToken);
            if (found?.Metadata.Uid == other.Uid
                && (found.Metadata.DeletionTimestamp is null || found.Metadata.Finalizers?.Contains(DeletionPropagation.ForegroundFinalizer) != true))
            {
                return true;
            }
        }

        return false;
    }

    private async Task ExecuteAsync(CollectionAction action, OwnerRef owner, ObjectKey ownerKey, CancellationToken cancellationToken)
    {
        try
        {
            switch (action)
            {
                case DeleteDependent delete:
                    await _registry.DeleteAsync(
                        KeyOf(delete.Dependent),
                        new DeleteOptions(PropagationPolicy: delete.Policy, Preconditions: new Preconditions(Uid: delete.Dependent.Uid)),
                        cancellationToken);
                    Log.DependentDeleted(_logger, delete.Dependent.Resource, delete.Dependent.Namespace, delete.Dependent.Name, owner.Kind, owner.Name);
                    break;

                case OrphanDependent orphan:
                    await _registry.UpdateAsync(KeyOf(orphan.Dependent), obj =>
                    {
                        var references = obj.Metadata.OwnerReferences ?? [];
                        if (!references.Any(r => r.Uid == owner.Uid))
                        {
                            return null;
                        }

                        obj.Metadata.OwnerReferences = [.. references.Where(r => r.Uid != owner.Uid)];
                        return obj;
                    }, new UpdateOptions(Preconditions: new Preconditions(Uid: orphan.Dependent.Uid)), cancellationToken);
                    Log.DependentOrphaned(_logger, orphan.Dependent.Resource, orphan.Dependent.Namespace, orphan.Dependent.Name, owner.Kind, owner.Name);
                    break;

                case RemoveOwnerFinalizer finalize:
                    await _registry.UpdateAsync(ownerKey, obj =>
                    {
                        if (obj.Metadata.Finalizers?.Contains(finalize.Finalizer) != true)
                        {
                            return null;
                        }

                        obj.Metadata.Finalizers = [.. obj.Metadata.Finalizers.Where(f => f != finalize.Finalizer)];
                        return obj;
                    }, new UpdateOptions(Preconditions: new Preconditions(Uid: owner.Uid)), cancellationToken);
                    break;
            }
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced by a newer object of the same name that is none of this owner's business.
        }
    }

    private ObjectKey KeyOf(Dependent dependent) =>
        new(_registry.Kinds.Find(dependent.Resource)!.Type, dependent.Namespace, dependent.Name);
}
