using System.Globalization;
using System.Runtime.CompilerServices;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Testing.Store;

/// <summary>
/// An <see cref="IObjectStore"/> in memory, for tests of the layers above the store. It keeps the
/// same contract as the Azure Table store (the contract tests run against both): one global resource
/// version counter, copies in and out, and a change log for watches.
/// </summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    /// <summary>
    /// The largest object JSON kept, in bytes: the Azure Table store's limit, so that code tested
    /// on this store meets the limit it will meet in Azure.
    /// </summary>
    public const int MaxObjectBytes = 704 * 1024;

    /// <summary>Separates the parts of a storage key; it sorts below every character a name can hold, so keys sort by namespace, then name.</summary>
    private const char Separator = '\u0001';

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, (ResourceType Type, string Json)> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Rv, ResourceType Type, string? Namespace, WatchEventType Event, string Json)> _log = [];
    private long _revision;
    private long _compactedThrough;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Drops the change log up to and including <paramref name="resourceVersion"/>, as compaction would.</summary>
    /// <param name="resourceVersion">The last resource version to drop.</param>
    public void Compact(long resourceVersion)
    {
        lock (_gate)
        {
            _log.RemoveAll(e => e.Rv <= resourceVersion);
            _compactedThrough = Math.Max(_compactedThrough, resourceVersion);
        }
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_objects.TryGetValue(StorageKey(key), out var entry) ? Deserialize(entry.Type, entry.Json) : null);
        }
    }

    /// <inheritdoc />
    public Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            var prefix = type.GroupResource + Separator + (@namespace is null ? string.Empty : @namespace + Separator);
            var (revision, after) = DecodeContinue(query.Continue, prefix);
            if (revision is { } first && _compactedThrough > first)
            {
                throw StoreException.ContinueExpired();
            }

            var matches = _objects
                .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(p.Key, after) > 0)
                .Select(p => (p.Key, Object: Deserialize(p.Value.Type, p.Value.Json)))
                .Where(p => query.Filter is null || query.Filter(p.Object))
                .ToList();
            var limit = query.Limit is > 0 ? query.Limit.Value : int.MaxValue;
            var page = matches.Take(limit).ToList();
            var more = matches.Count > page.Count;
            // Later pages report the first page's version: a change made while paging is newer than it,
            // so a watch from the list's version still delivers it.
            revision ??= _revision;
            return Task.FromResult(new ObjectList(
                page.Select(p => p.Object).ToList(),
                revision.Value.ToString(CultureInfo.InvariantCulture),
                more ? EncodeContinue(revision.Value, page[^1].Key) : null,
                more ? matches.Count - page.Count : null));
        }
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        IKubernetesObject<V1ObjectMeta> stored;
        lock (_gate)
        {
            var key = KeyOf(type, obj);
            if (_objects.ContainsKey(StorageKey(key)))
            {
                throw StoreException.AlreadyExists(key);
            }

            stored = Commit(type, key, obj, WatchEventType.Added);
        }

        return Task.FromResult(stored);
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        IKubernetesObject<V1ObjectMeta> stored;
        lock (_gate)
        {
            var key = KeyOf(type, obj);
            if (!_objects.TryGetValue(StorageKey(key), out var current))
            {
                throw StoreException.NotFound(key);
            }

            var expected = obj.Metadata.ResourceVersion;
            if (!string.IsNullOrEmpty(expected) && expected != Deserialize(type, current.Json).Metadata.ResourceVersion)
            {
                throw StoreException.Conflict(key);
            }

            stored = Commit(type, key, obj, WatchEventType.Modified);
        }

        return Task.FromResult(stored);
    }

    /// <inheritdoc />
    public Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
    {
        IKubernetesObject<V1ObjectMeta> removed;
        lock (_gate)
        {
            if (!_objects.TryGetValue(StorageKey(key), out var current))
            {
                throw StoreException.NotFound(key);
            }

            removed = Deserialize(key.Type, current.Json);
            if ((preconditions?.Uid is { } uid && uid != removed.Metadata.Uid)
                || (preconditions?.ResourceVersion is { } rv && rv != removed.Metadata.ResourceVersion))
            {
                throw StoreException.Conflict(key);
            }

            _objects.Remove(StorageKey(key));
            removed.Metadata.ResourceVersion = (++_revision).ToString(CultureInfo.InvariantCulture);
            _log.Add((_revision, key.Type, key.Namespace, WatchEventType.Deleted, KubernetesJson.Serialize(removed)));
            Signal();
        }

        return Task.FromResult(removed);
    }

    /// <inheritdoc />
    public Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_revision.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectChangeEvent> WatchAsync(
        ResourceType type, string? @namespace, string afterResourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var position = long.Parse(afterResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture);
        while (!cancellationToken.IsCancellationRequested)
        {
            List<ObjectChangeEvent> batch;
            Task changed;
            lock (_gate)
            {
                if (position < _compactedThrough)
                {
                    throw new StoreException(StoreErrorKind.Expired, null, $"too old resource version: {position} ({_compactedThrough})");
                }

                batch = _log
                    .Where(e => e.Rv > position && e.Type == type && (@namespace is null || e.Namespace == @namespace))
                    .Select(e => new ObjectChangeEvent(e.Event, Deserialize(e.Type, e.Json), e.Rv.ToString(CultureInfo.InvariantCulture)))
                    .ToList();
                position = Math.Max(position, _revision);
                changed = _changed.Task;
            }

            foreach (var change in batch)
            {
                yield return change;
            }

            try
            {
                await changed.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static ObjectKey KeyOf(ResourceType type, IKubernetesObject<V1ObjectMeta> obj) =>
        new(type, type.Namespaced ? obj.Metadata.NamespaceProperty : null, obj.Metadata.Name);

    private static string StorageKey(ObjectKey key) =>
        key.Type.GroupResource + Separator + (key.Namespace is null ? string.Empty : key.Namespace + Separator) + key.Name;

    private static IKubernetesObject<V1ObjectMeta> Deserialize(ResourceType type, string json) =>
        (IKubernetesObject<V1ObjectMeta>)KubeJson.Deserialize(json, type.ObjectType)!;

    private static string EncodeContinue(long revision, string lastKey) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(revision.ToString(CultureInfo.InvariantCulture) + "|" + lastKey));

    private static (long? Revision, string After) DecodeContinue(string? token, string prefix)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, string.Empty);
        }

        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
                && parts[1].StartsWith(prefix, StringComparison.Ordinal))
            {
                return (revision, parts[1]);
            }
        }
        catch (FormatException)
        {
        }

        throw new StoreException(StoreErrorKind.InvalidContinue, null, "continue key is not valid for this list");
    }

    private IKubernetesObject<V1ObjectMeta> Commit(ResourceType type, ObjectKey key, IKubernetesObject<V1ObjectMeta> obj, WatchEventType change)
    {
        var copy = Deserialize(type, KubernetesJson.Serialize(obj));
        copy.Metadata.ResourceVersion = (_revision + 1).ToString(CultureInfo.InvariantCulture);
        var json = KubernetesJson.Serialize(copy);
        var size = System.Text.Encoding.UTF8.GetByteCount(json);
        if (size > MaxObjectBytes)
        {
            throw new StoreException(StoreErrorKind.TooLarge, key,
                $"Request entity too large: {key.Type.GroupResource} \"{key.Name}\" is {size} bytes of JSON, and the limit is {MaxObjectBytes} bytes");
        }

        _revision++;
        _objects[StorageKey(key)] = (type, json);
        _log.Add((_revision, type, key.Namespace, change, json));
        Signal();
        return Deserialize(type, json);
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }
}
