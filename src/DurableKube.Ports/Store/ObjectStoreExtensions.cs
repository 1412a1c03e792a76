using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>Typed and read-modify-write helpers over <see cref="IObjectStore"/>.</summary>
public static class ObjectStoreExtensions
{
    /// <summary>The most times <see cref="UpdateAsync{T}"/> re-reads after a conflict before giving up.</summary>
    public const int MaxConflictRetries = 16;

    /// <summary>Reads one object as its model type.</summary>
    /// <typeparam name="T">The model type, e.g. <see cref="V1Pod"/>.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for cluster-scoped types.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public static async Task<T?> GetAsync<T>(this IObjectStore store, ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(store);
        return (T?)await store.GetAsync(new ObjectKey(type, @namespace, name), cancellationToken);
    }

    /// <summary>
    /// Reads an object, lets <paramref name="mutate"/> change it, and writes it back under its
    /// resource version, starting again from a fresh read when another writer got there first
    /// (the API server's GuaranteedUpdate).
    /// </summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The object.</param>
    /// <param name="mutate">
    /// Changes the object in place and returns <see langword="true"/> to write it, or
    /// <see langword="false"/> when there is nothing to write. It may run more than once.
    /// </param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The object as stored after the update, or <see langword="null"/> if it does not exist.</returns>
    public static async Task<T?> UpdateAsync<T>(this IObjectStore store, ObjectKey key, Func<T, bool> mutate, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 0; ; attempt++)
        {
            if (await store.GetAsync(key, cancellationToken) is not T current)
            {
                return null;
            }

            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return (T)await store.UpdateAsync(key.Type, current, cancellationToken);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxConflictRetries)
            {
                // Someone else wrote first: read again and re-apply the change.
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Deletes an object the way the API server does, whoever asks (the API, the kubelet finishing a pod,
    /// the namespace controller): the type's strategy decides between removing it now and marking it with a
    /// deletionTimestamp for its kubelet or finalizers (<see cref="ObjectStrategy.PlanDelete"/>); a write
    /// that loses a race decides again on a fresh read.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="key">The object.</param>
    /// <param name="gracePeriodSeconds">The requested grace period, if any (0: now).</param>
    /// <param name="now">The current time.</param>
    /// <param name="verify">Checks the stored object before anything is decided (preconditions); throws to refuse.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>What was done, and the object as it now is.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.NotFound"/> if there is no such object.</exception>
    public static async Task<DeleteOutcome> DeleteGracefullyAsync(
        this IObjectStore store,
        ObjectKey key,
        long? gracePeriodSeconds,
        DateTimeOffset now,
        Action<IKubernetesObject<V1ObjectMeta>>? verify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var strategy = ObjectStrategies.For(key.Type);
        for (var attempt = 0; ; attempt++)
        {
            var existing = await store.GetAsync(key, cancellationToken) ?? throw StoreException.NotFound(key);
            verify?.Invoke(existing);
            var marked = KubeJson.Clone(existing);
            var action = strategy.PlanDelete(marked, gracePeriodSeconds, now);
            try
            {
                switch (action)
                {
                    case DeletionAction.Unchanged:
                        return new DeleteOutcome(action, existing);
                    case DeletionAction.Update:
                        return new DeleteOutcome(action, await store.UpdateAsync(key.Type, marked, cancellationToken));
                    case DeletionAction.UpdateThenRemove:
                        var last = await store.UpdateAsync(key.Type, marked, cancellationToken);
                        return new DeleteOutcome(action, await store.DeleteAsync(key, new Preconditions(last.Metadata.Uid, last.Metadata.ResourceVersion), cancellationToken));
                    default:
                        return new DeleteOutcome(action, await store.DeleteAsync(key, new Preconditions(existing.Metadata.Uid, existing.Metadata.ResourceVersion), cancellationToken));
                }
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxConflictRetries)
            {
                // Changed meanwhile: decide again on a fresh read.
            }
        }
    }
}
