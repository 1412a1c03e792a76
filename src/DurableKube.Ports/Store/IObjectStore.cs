using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Ports.Store;

/// <summary>
/// The control plane's etcd: typed Kubernetes objects with <c>metadata.resourceVersion</c> as
/// optimistic concurrency, and a change log that watches read.
/// </summary>
/// <remarks>
/// <para>
/// The store owns <c>metadata.resourceVersion</c> and nothing else: uid, timestamps, generation
/// and every other rule of the API server are applied above it. Resource versions are decimal
/// strings of one global counter, so a later write always has a larger version, across all types.
/// </para>
/// <para>
/// The store applies no rule of any kind: every writer goes through the registry above it
/// (<c>DurableKube.Registry.ObjectRegistry</c>), which applies the kind's strategy and tells whoever
/// must hear of the write.
/// </para>
/// <para>
/// Failures the caller can act on are <see cref="StoreException"/>s carrying a <see cref="StoreErrorKind"/>.
/// When the storage behind the store is unavailable (after its own retries), its exception surfaces
/// as it is: the write may or may not have happened, and the caller treats it as a server error.
/// </para>
/// </remarks>
public interface IObjectStore
{
    /// <summary>Reads one object.</summary>
    /// <param name="key">The object to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object, or <see langword="null"/> if there is none.</returns>
    Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default);

    /// <summary>Lists objects of one type, in one namespace or in all.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all namespaces (and for cluster-scoped types).</param>
    /// <param name="query">Filtering and paging.</param>
    /// <param name="cancellationToken">Cancels the list.</param>
    /// <returns>The matching objects, ordered by namespace then name, and the resource version the list is as new as.</returns>
    Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stores a new object and gives it its first resource version.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="obj">The object; its <c>metadata.resourceVersion</c> must be unset.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored object with its resource version.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.AlreadyExists"/> if an object with that name exists.</exception>
    Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default);

    /// <summary>Replaces an object.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="obj">
    /// The new object. If its <c>metadata.resourceVersion</c> is set, the write succeeds only if it is
    /// still the stored version; if unset, the write is unconditional.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored object with its new resource version.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.NotFound"/> or <see cref="StoreErrorKind.Conflict"/>.</exception>
    Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default);

    /// <summary>Removes an object for good (graceful deletion is an update made above the store).</summary>
    /// <param name="key">The object to remove.</param>
    /// <param name="preconditions">Optional uid and resource version the object must still have.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The object as it was when removed, carrying the resource version of its removal.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.NotFound"/> or <see cref="StoreErrorKind.Conflict"/>.</exception>
    Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the newest resource version the store has given out.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The resource version, as a decimal string.</returns>
    Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the changes to objects of one type made after a resource version, in resource version
    /// order, until cancelled; cancelling ends the stream without an exception.
    /// </summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all.</param>
    /// <param name="afterResourceVersion">Only changes with a larger resource version are streamed.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The changes; a deletion carries the object as it was removed.</returns>
    /// <exception cref="StoreException">Kind <see cref="StoreErrorKind.Expired"/> if the change log no longer reaches back that far.</exception>
    IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default);
}
