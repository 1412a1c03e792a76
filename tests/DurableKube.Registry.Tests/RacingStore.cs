using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry.Tests;

/// <summary>A store on which another writer gets in just before the next write: <see cref="BeforeNextWrite"/> runs once, then the write goes ahead.</summary>
/// <param name="inner">The store that does the work.</param>
internal sealed class RacingStore(IObjectStore inner) : IObjectStore
{
    /// <summary>Gets or sets what the other writer does, once, before the next update or delete.</summary>
    public Func<IObjectStore, Task>? BeforeNextWrite { get; set; }

    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(type, @namespace, query, cancellationToken);

    public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) => inner.CreateAsync(type, obj, cancellationToken);

    public async Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        await RaceAsync();
        return await inner.UpdateAsync(type, obj, cancellationToken);
    }

    public async Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
    {
        await RaceAsync();
        return await inner.DeleteAsync(key, preconditions, cancellationToken);
    }

    public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) => inner.GetResourceVersionAsync(cancellationToken);

    public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);

    private async Task RaceAsync()
    {
        if (BeforeNextWrite is { } race)
        {
            BeforeNextWrite = null;
            await race(inner);
        }
    }
}
