using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Testing.Store;

/// <summary>
/// An <see cref="IObjectStore"/> that passes everything to another, unless a test has armed a fault for
/// the call: then it throws, as a storage account that is down would.
/// </summary>
/// <param name="inner">The store that does the work.</param>
public sealed class FaultyObjectStore(IObjectStore inner) : IObjectStore
{
    /// <summary>Gets or sets the fault to raise for a call: given the operation (Get, List, Create, Update, Delete), the type and the namespace, an exception to throw, or <see langword="null"/> to let it through.</summary>
    public Func<string, ResourceType, string?, Exception?>? Fault { get; set; }

    /// <summary>Gets how many calls failed with an armed fault.</summary>
    public int Faulted => Volatile.Read(ref _faulted);

    private int _faulted;

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        Check("Get", key.Type, key.Namespace);
        return inner.GetAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default)
    {
        Check("List", type, @namespace);
        return inner.ListAsync(type, @namespace, query, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        Check("Create", type, obj?.Metadata?.NamespaceProperty);
        return inner.CreateAsync(type, obj!, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        Check("Update", type, obj?.Metadata?.NamespaceProperty);
        return inner.UpdateAsync(type, obj!, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
    {
        Check("Delete", key.Type, key.Namespace);
        return inner.DeleteAsync(key, preconditions, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default) => inner.GetResourceVersionAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ObjectChangeEvent> WatchAsync(ResourceType type, string? @namespace, string afterResourceVersion, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(type, @namespace, afterResourceVersion, cancellationToken);

    private void Check(string operation, ResourceType type, string? @namespace)
    {
        if (Fault?.Invoke(operation, type, @namespace) is { } fault)
        {
            Interlocked.Increment(ref _faulted);
            throw fault;
        }
    }
}
