using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Registry.Tests;

/// <summary>
/// A store on which the first <c>taken</c> pod names tried are already taken: it answers AlreadyExists for them,
/// as a store does when a generated name collides, and records every pod name tried.
/// </summary>
internal sealed class TakenNamesStore(int taken)
{
    public int Taken { get; } = taken;

    public List<string> Tried { get; } = [];

    public IObjectStore Over(IObjectStore inner) => new Store(this, inner);

    private sealed class Store(TakenNamesStore owner, IObjectStore inner) : IObjectStore
    {
        public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
        {
            if (type == ResourceTypes.Pods)
            {
                owner.Tried.Add(obj.Metadata.Name);
                if (owner.Tried.Count <= owner.Taken)
                {
                    throw StoreException.AlreadyExists(new ObjectKey(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name));
                }
            }

            return inner.CreateAsync(type, obj, cancellationToken);
        }

        public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(type, @namespace, query, cancellationToken);

        public Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default) => inner.UpdateAsync(type, obj, cancellationToken);

        public Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, preconditions, cancellationToken);

        public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) => inner.GetResourceVersionAsync(cancellationToken);

        public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) => inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);
    }
}
