using System.Runtime.CompilerServices;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry;

/// <summary>
/// The store as every version sees it: a kind stored as another (<see cref="KindDescriptor.Storage"/>, e.g.
/// <c>events.k8s.io/v1</c> Events kept as <c>v1</c> Events) is read and written through the stored kind and
/// converted on the way in and out, so both versions show the same objects, resource versions and changes (the
/// API server's one storage with several representations). Every other kind passes straight through.
/// </summary>
internal sealed class VersionedObjectStore : IObjectStore
{
    private readonly IObjectStore _inner;
    private readonly KindRegistry _kinds;

    /// <summary>Initializes a new instance of the <see cref="VersionedObjectStore"/> class.</summary>
    /// <param name="inner">The store.</param>
    /// <param name="kinds">The served kinds, which say which are stored as others.</param>
    public VersionedObjectStore(IObjectStore inner, KindRegistry kinds)
    {
        _inner = inner;
        _kinds = kinds;
    }

    /// <summary>Gets the store beneath.</summary>
    public IObjectStore Inner => _inner;

    /// <summary>Whether any served kind is stored as another (else the wrapper is not needed).</summary>
    /// <param name="kinds">The served kinds.</param>
    /// <returns>Whether one is.</returns>
    public static bool Needed(KindRegistry kinds) => kinds.All.Any(k => k.Storage is not null);

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        if (StorageOf(key.Type) is not { } storage)
        {
            return await _inner.GetAsync(key, cancellationToken);
        }

        var stored = await _inner.GetAsync(key with { Type = storage.Type }, cancellationToken);
        return stored is null ? null : storage.FromStorage(stored);
    }

    /// <inheritdoc />
    public async Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (StorageOf(type) is not { } storage)
        {
            return await _inner.ListAsync(type, @namespace, query, cancellationToken);
        }

        var filter = query.Filter;
        var list = await _inner.ListAsync(
            storage.Type, @namespace, query with { Filter = filter is null ? null : o => filter(storage.FromStorage(o)) }, cancellationToken);
        return list with { Items = [.. list.Items.Select(storage.FromStorage)] };
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        if (StorageOf(type) is not { } storage)
        {
            return await _inner.CreateAsync(type, obj, cancellationToken);
        }

        return await ServedAsync(type, storage, () => _inner.CreateAsync(storage.Type, storage.ToStorage(obj), cancellationToken));
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        if (StorageOf(type) is not { } storage)
        {
            return await _inner.UpdateAsync(type, obj, cancellationToken);
        }

        return await ServedAsync(type, storage, () => _inner.UpdateAsync(storage.Type, storage.ToStorage(obj), cancellationToken));
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
    {
        if (StorageOf(key.Type) is not { } storage)
        {
            return await _inner.DeleteAsync(key, preconditions, cancellationToken);
        }

        return await ServedAsync(key.Type, storage, () => _inner.DeleteAsync(key with { Type = storage.Type }, preconditions, cancellationToken));
    }

    /// <inheritdoc />
    public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) => _inner.GetResourceVersionAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) =>
        StorageOf(type) is { } storage
            ? Convert(_inner.WatchAsync(storage.Type, @namespace, afterResourceVersion, cancellationToken), storage, cancellationToken)
            : _inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);

    private static async IAsyncEnumerable<ObjectChangeEvent> Convert(
        IAsyncEnumerable<ObjectChangeEvent> changes, StoredAs storage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in changes.WithCancellation(cancellationToken))
        {
            yield return change with { Object = storage.FromStorage(change.Object) };
        }
    }

    /// <summary>Runs a write of the stored kind and answers it, and its errors, as the kind the caller asked for.</summary>
    private static async Task<IKubernetesObject<V1ObjectMeta>> ServedAsync(ResourceType served, StoredAs storage, Func<Task<IKubernetesObject<V1ObjectMeta>>> write)
    {
        try
        {
            return storage.FromStorage(await write());
        }
        catch (StoreException e) when (e.Key is { } key)
        {
            throw AsServed(e, key with { Type = served });
        }
    }

    /// <summary>The store's error about the stored kind, told about the kind the caller asked for (its group-resource in the message).</summary>
    private static StoreException AsServed(StoreException e, ObjectKey served) => e.Kind switch
    {
        StoreErrorKind.NotFound => new StoreException(StoreErrorKind.NotFound, served, StoreException.NotFound(served).Message, e),
        StoreErrorKind.AlreadyExists => new StoreException(StoreErrorKind.AlreadyExists, served, StoreException.AlreadyExists(served).Message, e),
        StoreErrorKind.Conflict when e.Detail is { } detail => StoreException.Conflict(served, detail),
        _ => e,
    };

    private StoredAs? StorageOf(ResourceType type) => _kinds.Find(type.GroupResource)?.Storage;
}
