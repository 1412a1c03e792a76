using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Registry;

/// <summary>
/// The one write path (the API server's generic registry store): every create, update, subresource
/// update and delete, whether the API or a workflow asks for it, applies the kind's strategy, resolves
/// conflicts by re-reading (GuaranteedUpdate), honours finalizers, graceful deletion and propagation,
/// and tells the <see cref="IWriteHook"/>s. Reads go straight to the store.
/// </summary>
/// <remarks>
/// Errors the caller can act on: <see cref="StoreException"/> (NotFound, AlreadyExists, Conflict),
/// <see cref="Domain.Strategies.ObjectRejectedException"/> (Invalid, Forbidden, Conflict, BadRequest).
/// </remarks>
public sealed partial class ObjectRegistry
{
    /// <summary>The most times a write re-reads after losing a race before it answers Conflict.</summary>
    public const int MaxConflictRetries = 16;

    /// <summary>The most names a create with <c>generateName</c> tries before it answers AlreadyExists.</summary>
    public const int GenerateNameAttempts = 8;

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IWriteHook> _hooks;
    private readonly TimeProvider _time;
    private readonly ILogger<ObjectRegistry> _logger;

    /// <summary>
    /// The field manager's <c>Update</c> bookkeeping of a write through the one write path: the managedFields the
    /// object gets (<see cref="Domain.Apply.FieldManager.Update"/>).
    /// </summary>
    /// <param name="type">The object's type.</param>
    /// <param name="old">The stored object; <see langword="null"/> for a create.</param>
    /// <param name="candidate">The object about to be stored.</param>
    /// <param name="sent">The managedFields the writer set, when it changed them.</param>
    /// <param name="manager">The writer's field manager; <see langword="null"/> for the server's own writers.</param>
    /// <param name="subresource">The subresource the entry names.</param>
    /// <returns>The managedFields to store.</returns>
    private List<V1ManagedFieldsEntry>? TrackFields(
        ResourceType type, IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> candidate, IList<V1ManagedFieldsEntry>? sent, string? manager, string? subresource)
    {
        var node = KubeJson.ToNode(candidate)!.AsObject();
        var oldNode = old is null ? null : KubeJson.ToNode(old)!.AsObject();
        manager ??= type.Kind == "Pod" && subresource == Domain.Kinds.Subresource.Status.Name ? "kubelet" : "kube-controller-manager";
        Domain.Apply.FieldManager.Update(oldNode, node, sent is null ? null : KubeJson.ToNode(sent), type.ObjectType, manager, subresource, _time.GetUtcNow().UtcDateTime);
        return node["metadata"]?["managedFields"] is JsonArray entries ? [.. entries.Select(e => (V1ManagedFieldsEntry)KubeJson.Deserialize(e, typeof(V1ManagedFieldsEntry))!)] : null;
    }

    /// <summary>Initializes a new instance of the <see cref="ObjectRegistry"/> class.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="kinds">The served kinds.</param>
    /// <param name="hooks">The write hooks, in registration order.</param>
    /// <param name="time">The clock of creation and deletion timestamps.</param>
    /// <param name="logger">The logger.</param>
    public ObjectRegistry(IObjectStore store, KindRegistry kinds, IEnumerable<IWriteHook> hooks, TimeProvider time, ILogger<ObjectRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(hooks);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = VersionedObjectStore.Needed(kinds) ? new VersionedObjectStore(store, kinds) : store;
        Kinds = kinds;
        _hooks = [.. hooks];
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the served kinds.</summary>
    public KindRegistry Kinds { get; }

    /// <summary>Gets the store beneath, for reads and watches, with each kind in its own version (a kind stored as another is converted).</summary>
    public IObjectStore Store => _store;

    /// <summary>Reads one object.</summary>
    /// <param name="key">The object.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default) =>
        _store.GetAsync(key, cancellationToken);

    /// <summary>Reads one object as its model type.</summary>
    /// <typeparam name="T">The model type, e.g. <see cref="V1Pod"/>.</typeparam>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for cluster-scoped types.</param>
    /// <param name="name">The object name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public async Task<T?> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (T?)await _store.GetAsync(new ObjectKey(type, @namespace, name), cancellationToken);

    /// <summary>Lists objects of one type.</summary>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all.</param>
    /// <param name="query">Filtering and paging.</param>
    /// <param name="cancellationToken">Cancels the list.</param>
    /// <returns>The page.</returns>
    public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default) =>
        _store.ListAsync(type, @namespace, query, cancellationToken);

    /// <summary>Lists objects of one type as their model type, unpaged.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="type">The resource type.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/> for all.</param>
    /// <param name="filter">Keeps only the objects it accepts, if given.</param>
    /// <param name="cancellationToken">Cancels the list.</param>
    /// <returns>The objects, ordered by namespace then name.</returns>
    public async Task<IReadOnlyList<T>> ListAsync<T>(ResourceType type, string? @namespace, Func<T, bool>? filter = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var query = filter is null ? ListQuery.All : new ListQuery(o => filter((T)o));
        var list = await _store.ListAsync(type, @namespace, query, cancellationToken);
        return [.. list.Items.Cast<T>()];
    }

    private KindDescriptor KindOf(ResourceType type) => Kinds.Get(type);

    private async Task BeforeAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        foreach (var hook in _hooks)
        {
            await hook.BeforeWriteAsync(write, cancellationToken);
        }
    }

    private async Task AfterAsync(ObjectWrite write)
    {
        foreach (var hook in _hooks)
        {
            try
            {
                // Not the caller's token: the write has committed and what follows it should not be dropped because the caller left.
                await hook.AfterWriteAsync(write, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var meta = write.Object.Metadata;
                Log.HookFailed(_logger, write.Operation, write.Kind.Type.GroupResource, meta?.NamespaceProperty, meta?.Name ?? string.Empty, e);
            }
        }
    }

}
