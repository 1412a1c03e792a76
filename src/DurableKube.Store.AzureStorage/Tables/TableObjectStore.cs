using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// <see cref="IObjectStore"/> on Azure Table storage: objects, the resource version counter and the
/// change log in one table partition, and every write one entity group transaction.
/// </summary>
/// <remarks>
/// <para>
/// A write is one transaction of three operations: replace the counter row under the ETag it was
/// read with (so the counter moves by exactly the writes it numbers, and a writer elsewhere that
/// read the same counter fails and tries again), insert, replace or delete the object row (under
/// its ETag where a precondition asks for one), and insert the change-log row keyed by the
/// zero-padded resource version. All or nothing commits, and a commit can only follow the commit
/// that moved the counter before it, so change-log order is commit order: a watcher that has read
/// the log up to N never sees a later commit with a resource version of N or less.
/// </para>
/// <para>
/// Writes of this process go through one committer at a time and are grouped: writes that arrive
/// while a transaction is in flight are numbered together in the next one (up to 49 per transaction,
/// the 100-operation limit). So one process commits as fast as transactions round-trip, while
/// several processes contend for the counter row optimistically. README.md in this project gives
/// the throughput this allows.
/// </para>
/// </remarks>
internal sealed partial class TableObjectStore : IObjectStore, IDisposable
{
    private const string ResourceProperty = "Resource";
    private const string NamespaceProperty = "Namespace";
    private const string NameProperty = "Name";
    private const string ResourceVersionProperty = "ResourceVersion";
    private const string ValueProperty = "Value";
    private const string BatchProperty = "Batch";
    private const string TypeProperty = "Type";
    private const string CommittedAtProperty = "CommittedAt";

    /// <summary>The most JSON bytes the snapshots of whole lists keep, in all.</summary>
    private const long ListSnapshotBudgetBytes = 32L * 1024 * 1024;

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _watchPollInterval;
    private readonly AsyncOnce _createTable;
    private readonly SharedRead<(long Value, ETag? ETag)> _watchHead;
    private readonly SharedRead<(long Value, ETag? ETag)> _watchCompaction;
    private readonly ChangeLogWindow _window = new(WindowBudgetBytes);
    private readonly SemaphoreSlim _windowExtension = new(1, 1);
    private readonly ListSnapshots _lists = new(ListSnapshotBudgetBytes);

    /// <summary>Initializes a new instance of the <see cref="TableObjectStore"/> class.</summary>
    /// <param name="table">The table; it is created on first use.</param>
    /// <param name="options">The poll interval of watches.</param>
    /// <param name="time">The clock change-log entries are stamped with (compaction measures retention on it).</param>
    /// <param name="logger">The logger.</param>
    public TableObjectStore(TableClient table, AzureStorageOptions options, TimeProvider time, ILogger<TableObjectStore> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        _time = time;
        _logger = logger;
        _watchPollInterval = options.WatchPollInterval;
        _createTable = new AsyncOnce(() => _table.CreateIfNotExistsAsync());
        _watchHead = new SharedRead<(long Value, ETag? ETag)>(ReadCounterAsync);
        _watchCompaction = new SharedRead<(long Value, ETag? ETag)>(ReadCompactionMarkAsync);
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default)
    {
        key = CheckKey(key);
        await _createTable.RunAsync(cancellationToken);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition, TableKeys.ObjectRow(key), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        RememberETag(row.Value!);
        return Deserialize(key.Type, ObjectPayload.Read(row.Value!));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The list's resource version is the counter read before the objects. Every write numbered at
    /// or below it had committed when the counter was read (the counter moves in the same
    /// transaction), so the objects read afterwards include it; every write numbered above it comes
    /// through a watch from it. A watch from the list's version may therefore repeat a change the
    /// list already showed, but never misses one. Later pages keep the first page's version (it is
    /// in the continue token): pages are read live, not as a snapshot, and a change to an object on
    /// an earlier page made while paging is after that version, so a watch from it still delivers it.
    /// </remarks>
    public async Task<ObjectList> ListAsync(ResourceType type, string? @namespace, ListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "The limit cannot be negative.");
        }

        var prefix = TableKeys.ListPrefix(type, @namespace);
        long resourceVersion;
        string after;
        if (string.IsNullOrEmpty(query.Continue))
        {
            await _createTable.RunAsync(cancellationToken);
            (resourceVersion, _) = await ReadCounterAsync(cancellationToken);
            if (query.Limit is null or 0)
            {
                return await ListWholeAsync(type, @namespace, resourceVersion, query.Filter, cancellationToken);
            }

            after = prefix;
        }
        else
        {
            (resourceVersion, after) = ContinueToken.Decode(query.Continue, prefix);
            await _createTable.RunAsync(cancellationToken);

            // As etcd's compaction expires a continue token: the pages read after it would not be
            // the consistent list of the first page's version a watch from that version can follow.
            var (compactedThrough, _) = await ReadCompactionMarkAsync(cancellationToken);
            if (compactedThrough > resourceVersion)
            {
                throw StoreException.ContinueExpired();
            }
        }

        var limit = query.Limit is > 0 ? query.Limit.Value : int.MaxValue;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeys.Partition} and RowKey gt {after} and RowKey lt {TableKeys.UpperBound(prefix)}");
        var pageSize = query.Filter is null && limit < 1000 ? limit + 1 : 1000;
        var items = new List<IKubernetesObject<V1ObjectMeta>>();
        string? lastRowKey = null;
        var more = false;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken))
        {
            var item = Deserialize(type, ObjectPayload.Read(row));
            if (query.Filter is not null && !query.Filter(item))
            {
                continue;
            }

            if (items.Count == limit)
            {
                // One match beyond the page: there is a next page.
                more = true;
                break;
            }

            items.Add(item);
            lastRowKey = row.RowKey;
            RememberETag(row);
        }

        return new ObjectList(
            items,
            resourceVersion.ToString(CultureInfo.InvariantCulture),
            more ? ContinueToken.Encode(resourceVersion, lastRowKey!) : null);
    }

    /// <summary>
    /// An unpaged list at <paramref name="head"/>: from the snapshot of its last read when the change log shows no write
    /// of its resource (and namespace) since, else read whole and kept as the next snapshot.
    /// </summary>
    /// <remarks>
    /// The window holds every entry of the log through the head (after extending it, as for the watches), so "no entry
    /// of this list's resource and namespace after the snapshot's version" means the objects as of the snapshot are the
    /// objects as of the head: the answer is what reading them now would give. A snapshot read while writes went on may
    /// hold objects newer than its version; those writes are entries after it, so it is read again.
    /// </remarks>
    private async Task<ObjectList> ListWholeAsync(
        ResourceType type, string? @namespace, long head, Func<IKubernetesObject<V1ObjectMeta>, bool>? filter, CancellationToken cancellationToken)
    {
        var version = head.ToString(CultureInfo.InvariantCulture);
        if (_lists.Get(type.GroupResource, @namespace) is { } snapshot && snapshot.ResourceVersion <= head)
        {
            await ExtendWindowAsync(snapshot.ResourceVersion, head, cancellationToken);
            if (_window.TryRead(type.GroupResource, @namespace, snapshot.ResourceVersion, head, 1, out var since) && since.Entries.Count == 0)
            {
                _lists.Advance(type.GroupResource, @namespace, snapshot.ResourceVersion, head);
                return new ObjectList([.. snapshot.Objects.Select(json => Deserialize(type, json)).Where(o => filter is null || filter(o))], version);
            }
        }

        var prefix = TableKeys.ListPrefix(type, @namespace);
        var rows = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeys.Partition} and RowKey gt {prefix} and RowKey lt {TableKeys.UpperBound(prefix)}");
        var objects = new List<byte[]>();
        var items = new List<IKubernetesObject<V1ObjectMeta>>();
        await foreach (var row in _table.QueryAsync<TableEntity>(rows, 1000, cancellationToken: cancellationToken))
        {
            var json = ObjectPayload.Read(row);
            objects.Add(json);
            RememberETag(row);
            var item = Deserialize(type, json);
            if (filter is null || filter(item))
            {
                items.Add(item);
            }
        }

        _lists.Put(type.GroupResource, @namespace, head, objects);
        return new ObjectList(items, version);
    }

    /// <inheritdoc />
    public async Task<string> GetResourceVersionAsync(CancellationToken cancellationToken = default)
    {
        await _createTable.RunAsync(cancellationToken);
        var (value, _) = await ReadCounterAsync(cancellationToken);
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _commitLock.Dispose();
        _windowExtension.Dispose();
    }

    private static IKubernetesObject<V1ObjectMeta> Deserialize(ResourceType type, byte[] json) =>
        (IKubernetesObject<V1ObjectMeta>)(JsonSerializer.Deserialize(json, type.ObjectType, KubeJson.Options)
            ?? throw new InvalidDataException($"A stored {type.GroupResource} object is JSON null."));

    private static ObjectKey CheckKey(ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key.Type);
        if (string.IsNullOrEmpty(key.Name))
        {
            throw new ArgumentException("The object has no name.", nameof(key));
        }

        if (!key.Type.Namespaced)
        {
            return key with { Namespace = null };
        }

        return !string.IsNullOrEmpty(key.Namespace)
            ? key
            : throw new ArgumentException($"{key.Type.GroupResource} are namespaced: the object needs a namespace.", nameof(key));
    }

    private static ObjectKey KeyOf(ResourceType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Metadata is null)
        {
            throw new ArgumentException("The object has no metadata.", nameof(obj));
        }

        return CheckKey(new ObjectKey(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name));
    }

    private void RememberETag(TableEntity objectRow)
    {
        if (objectRow.GetInt64(ResourceVersionProperty) is { } resourceVersion)
        {
            _rowETags.Remember(objectRow.RowKey, resourceVersion, objectRow.ETag);
        }
    }

    private async Task<(long Value, ETag? ETag)> ReadCounterAsync(CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(
            TableKeys.Partition, TableKeys.CounterRow, [ValueProperty], cancellationToken);
        return row.HasValue ? (row.Value!.GetInt64(ValueProperty) ?? 0, row.Value.ETag) : (0, null);
    }

    private async Task<(long Value, ETag? ETag)> ReadCompactionMarkAsync(CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(
            TableKeys.Partition, TableKeys.CompactionRow, [ValueProperty], cancellationToken);
        return row.HasValue ? (row.Value!.GetInt64(ValueProperty) ?? 0, row.Value.ETag) : (0, null);
    }
}
