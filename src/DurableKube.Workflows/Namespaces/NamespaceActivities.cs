using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s.Models;

namespace DurableKube.Workflows.Namespaces;

/// <summary>The activities of <see cref="NamespaceTerminationOrchestrator"/>; both idempotent.</summary>
public sealed class NamespaceActivities
{
    /// <summary>The name of the activity that deletes what a namespace holds.</summary>
    public const string EmptyName = "EmptyNamespace";

    /// <summary>The name of the activity that removes an empty namespace.</summary>
    public const string RemoveName = "RemoveNamespace";

    private readonly IObjectStore _store;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="NamespaceActivities"/> class.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="time">The clock.</param>
    public NamespaceActivities(IObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Deletes every object in the namespace the way the API would (pods gracefully) and counts what is left.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many objects remain, including those still terminating.</returns>
    public async Task<int> EmptyAsync(NamespaceRef ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var remaining = 0;
        foreach (var type in ResourceTypes.All.Where(t => t.Namespaced))
        {
            var objects = await _store.ListAsync(type, ns.Name, ListQuery.All, cancellationToken);
            remaining += objects.Items.Count;
            foreach (var obj in objects.Items)
            {
                var key = new ObjectKey(type, ns.Name, obj.Metadata.Name);
                if (obj is V1Pod pod)
                {
                    await DeletePodAsync(key, pod, cancellationToken);
                }
                else if (obj.Metadata.DeletionTimestamp is null)
                {
                    await RemoveAsync(key, obj.Metadata.Uid, cancellationToken);
                }
            }
        }

        return remaining;
    }

    /// <summary>Removes the namespace object, if it is still the one being terminated.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see langword="true"/> once it is gone.</returns>
    public async Task<bool> RemoveAsync(NamespaceRef ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        await RemoveAsync(new ObjectKey(ResourceTypes.Namespaces, null, ns.Name), ns.Uid, cancellationToken);
        return true;
    }

    private async Task DeletePodAsync(ObjectKey key, V1Pod pod, CancellationToken cancellationToken)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Already terminating: its kubelet is at work.
            return;
        }

        try
        {
            await _store.DeleteGracefullyAsync(key, gracePeriodSeconds: null, _time.GetUtcNow(), existing =>
            {
                if (existing.Metadata.Uid != pod.Metadata.Uid)
                {
                    throw StoreException.Conflict(key);
                }
            }, cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced by a newer pod of the same name that is not ours to delete.
        }
    }

    private async Task RemoveAsync(ObjectKey key, string uid, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(key, new Preconditions(Uid: uid), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Gone already, or replaced by a newer object of the same name that is not ours to remove.
        }
    }
}
