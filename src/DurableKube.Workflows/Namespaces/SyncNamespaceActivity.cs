using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s.Models;

namespace DurableKube.Workflows.Namespaces;

/// <summary>
/// One look at a terminating namespace (the namespace controller's <c>deleteAllContent</c> then
/// <c>finalizeNamespace</c>): deletes every object it holds the way the API would (pods gracefully,
/// through their kubelets; finalizers honoured), and once nothing is left removes the namespace's
/// <c>kubernetes</c> finalizer, which removes the namespace unless finalizers of its own still hold it.
/// Idempotent.
/// </summary>
public sealed class SyncNamespaceActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "SyncNamespace";

    private readonly ObjectRegistry _registry;

    /// <summary>Initializes a new instance of the <see cref="SyncNamespaceActivity"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    public SyncNamespaceActivity(ObjectRegistry registry) => _registry = registry;

    /// <summary>Deletes what the namespace holds and, once it holds nothing, finalizes it.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What is left, and whether the namespace is gone.</returns>
    public async Task<NamespaceSyncResult> RunAsync(NamespaceRef ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var remaining = 0;
        foreach (var kind in _registry.Kinds.All.Where(k => k.Type.Namespaced))
        {
            var objects = await _registry.ListAsync(kind.Type, ns.Name, ListQuery.All, cancellationToken);
            remaining += objects.Items.Count;
            foreach (var obj in objects.Items.Where(o => o.Metadata.DeletionTimestamp is null))
            {
                try
                {
                    await _registry.DeleteAsync(new ObjectKey(kind.Type, ns.Name, obj.Metadata.Name), DeleteOptions.ForUid(obj.Metadata.Uid), cancellationToken);
                }
                catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
                {
                    // Gone already, or replaced by a newer object of the same name (which the next look deletes).
                }
            }
        }

        return remaining > 0
            ? new NamespaceSyncResult(remaining, Removed: false)
            : new NamespaceSyncResult(0, await FinalizeAsync(ns, cancellationToken));
    }

    private async Task<bool> FinalizeAsync(NamespaceRef ns, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Namespaces, null, ns.Name), obj =>
            {
                var current = (V1Namespace)obj;
                current.Spec ??= new V1NamespaceSpec();
                current.Spec.Finalizers = [.. (current.Spec.Finalizers ?? []).Where(f => f != NamespaceStrategy.KubernetesFinalizer)];
                return current;
            }, new UpdateOptions(Subresource.Finalize.Name, Preconditions: new Preconditions(Uid: ns.Uid)), cancellationToken);
            return outcome.Removed;
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced by a new namespace of the same name that is not this workflow's.
            return true;
        }
    }
}
