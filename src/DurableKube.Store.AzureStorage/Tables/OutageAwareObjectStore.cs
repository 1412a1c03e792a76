using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The object store as the layers above see it: the table store, with a storage account that is away (after the SDK's
/// retries) told apart as <see cref="StoreErrorKind.Unavailable"/>, so the API answers 503 with a Retry-After and the
/// workflows retry, instead of an unexpected 500.
/// </summary>
internal sealed class OutageAwareObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;

    /// <summary>Initializes a new instance of the <see cref="OutageAwareObjectStore"/> class.</summary>
    /// <param name="inner">The table store.</param>
    public OutageAwareObjectStore(IObjectStore inner) => _inner = inner;

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.GetAsync(key, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.ListAsync(type, @namespace, query, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.CreateAsync(type, obj, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.UpdateAsync(type, obj, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.DeleteAsync(key, preconditions, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(() => _inner.GetResourceVersionAsync(cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>A watch that loses its storage ends with the failure; the client watches again, as after any closed watch.</remarks>
    public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) =>
        _inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);

    private static async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not StoreException && StorageFaults.IsUnavailable(e, cancellationToken))
        {
            throw StorageFaults.Unavailable(e);
        }
    }
}
