using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>Writes: create, update, delete, and the committer that numbers them.</summary>
internal sealed partial class TableObjectStore
{
    /// <summary>One counter operation plus two per write must stay within a transaction's 100 operations.</summary>
    private const int MaxWritesPerTransaction = 49;

    /// <summary>What one transaction may carry, under the service's 4 MiB request limit.</summary>
    private const long MaxTransactionRequestBytes = 3584L * 1024;

    /// <summary>How often a transaction may lose the counter to other processes before its writes fail.</summary>
    private const int MaxCounterConflicts = 100;

    /// <summary>How often a delete re-reads an object that keeps changing under it.</summary>
    private const int MaxDeleteAttempts = 16;

    private readonly SemaphoreSlim _commitLock = new(1, 1);
    private readonly Lock _pendingGate = new();
    private readonly List<PendingWrite> _pending = [];

    // Each object row's ETag at the version last seen, so an update skips the read of the row.
    private readonly RowETags _rowETags = new();
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastCommitTicket;

    // The committer's view of the counter row; only the holder of _commitLock touches these.
    private bool _counterKnown;
    private long _counter;
    private ETag? _counterETag;

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(type, obj);
        var write = PendingWrite.Prepare(key, WriteKind.Create, ToNode(obj), default, WatchEventType.Added);
        var outcome = await CommitAsync(write, cancellationToken);
        if (outcome.Rejection is { } rejection)
        {
            throw Reject(key, rejection);
        }

        return Deserialize(key.Type, outcome.Json);
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> UpdateAsync(ResourceType type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(type, obj);
        var body = ToNode(obj);
        var expected = obj.Metadata.ResourceVersion;
        var objectETag = ETag.All;
        if (!string.IsNullOrEmpty(expected)
            && long.TryParse(expected, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            && _rowETags.Find(TableKeys.ObjectRow(key), version) is { } known)
        {
            // The row's ETag at the version the caller read is known from this process's last read or write of it.
            objectETag = known;
        }
        else if (!string.IsNullOrEmpty(expected))
        {
            // The row's ETag stands for the version the caller read: the write replaces the row only if it is unchanged.
            await _createTable.RunAsync(cancellationToken);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(
                TableKeys.Partition, TableKeys.ObjectRow(key), [ResourceVersionProperty], cancellationToken);
            if (!row.HasValue)
            {
                throw StoreException.NotFound(key);
            }

            if (row.Value!.GetInt64(ResourceVersionProperty)?.ToString(System.Globalization.CultureInfo.InvariantCulture) != expected)
            {
                throw StoreException.Conflict(key);
            }

            objectETag = row.Value.ETag;
        }

        var write = PendingWrite.Prepare(key, WriteKind.Replace, body, objectETag, WatchEventType.Modified);
        var outcome = await CommitAsync(write, cancellationToken);
        if (outcome.Rejection is { } rejection)
        {
            throw Reject(key, rejection);
        }

        return Deserialize(key.Type, outcome.Json);
    }

    /// <inheritdoc />
    public async Task<IKubernetesObject<V1ObjectMeta>> DeleteAsync(ObjectKey key, Preconditions? preconditions = null, CancellationToken cancellationToken = default)
    {
        key = CheckKey(key);
        await _createTable.RunAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Partition, TableKeys.ObjectRow(key), cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                throw StoreException.NotFound(key);
            }

            var json = ObjectPayload.Read(row.Value!);
            RememberETag(row.Value!);
            var current = Deserialize(key.Type, json);
            if ((preconditions?.Uid is { } uid && uid != current.Metadata.Uid)
                || (preconditions?.ResourceVersion is { } resourceVersion && resourceVersion != current.Metadata.ResourceVersion))
            {
                throw StoreException.Conflict(key);
            }

            // The delete is conditioned on the row as read, so the change log records exactly what was removed.
            var write = PendingWrite.Prepare(key, WriteKind.Delete, JsonNode.Parse(json)!, row.Value!.ETag, WatchEventType.Deleted);
            var outcome = await CommitAsync(write, cancellationToken);
            if (outcome.Rejection is null)
            {
                return Deserialize(key.Type, outcome.Json);
            }

            if (outcome.Rejection.Status != 412 || attempt == MaxDeleteAttempts)
            {
                throw Reject(key, outcome.Rejection);
            }

            // The object changed after it was read: read it again and check the preconditions against that.
        }
    }

    private static JsonNode ToNode(IKubernetesObject<V1ObjectMeta> obj) =>
        KubeJson.ToNode(obj) ?? throw new ArgumentException("The object serializes to JSON null.", nameof(obj));

    private static bool IsTooLarge(RequestFailedException e) =>
        e.Status == 413 || e.ErrorCode is "EntityTooLarge" or "RequestBodyTooLarge" or "PropertyValueTooLarge";

    private static StoreException Reject(ObjectKey key, RequestFailedException rejection)
    {
        if (IsTooLarge(rejection))
        {
            return new StoreException(StoreErrorKind.TooLarge, key,
                $"Request entity too large: {key.Type.GroupResource} \"{key.Name}\" does not fit in a table row ({rejection.ErrorCode})", rejection);
        }

        switch (rejection.Status)
        {
            case 409:
                return StoreException.AlreadyExists(key);
            case 404:
                return StoreException.NotFound(key);
            case 412:
                return StoreException.Conflict(key);
            default:
                ExceptionDispatchInfo.Throw(rejection);
                throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>
    /// Hands a write to the committer and waits for its outcome. The first writer to get the commit
    /// lock commits everything waiting (its own write included), in transactions of up to
    /// <see cref="MaxWritesPerTransaction"/>; writers that arrive meanwhile are numbered together in the next.
    /// </summary>
    private async Task<WriteOutcome> CommitAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        await _createTable.RunAsync(cancellationToken);
        lock (_pendingGate)
        {
            _pending.Add(write);
        }

        try
        {
            await _commitLock.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_pendingGate)
            {
                if (_pending.Remove(write))
                {
                    throw;
                }
            }

            // Another committer already took the write: its outcome is not the caller's to abandon.
            return await write.Completion.Task;
        }

        try
        {
            // A committer completes every write it takes before it lets go of the lock, so the write is
            // either done or still waiting here.
            while (!write.Completion.Task.IsCompleted)
            {
                await CommitBatchAsync(TakeBatch());
            }
        }
        finally
        {
            _commitLock.Release();
        }

        return await write.Completion.Task;
    }

    private List<PendingWrite> TakeBatch()
    {
        lock (_pendingGate)
        {
            var batch = new List<PendingWrite>();
            var rows = new HashSet<string>(StringComparer.Ordinal);
            var bytes = 0L;
            for (var i = 0; i < _pending.Count && batch.Count < MaxWritesPerTransaction;)
            {
                var write = _pending[i];

                // A transaction touches a row once; a second write of the same object waits for the next,
                // and so does everything behind it for that object, which keeps each object's writes in order.
                if (!rows.Add(write.RowKey) || (batch.Count > 0 && bytes + write.EstimatedRequestBytes > MaxTransactionRequestBytes))
                {
                    i++;
                    continue;
                }

                bytes += write.EstimatedRequestBytes;
                batch.Add(write);
                _pending.RemoveAt(i);
            }

            return batch;
        }
    }

    private async Task CommitBatchAsync(List<PendingWrite> batch)
    {
        try
        {
            await CommitBatchCoreAsync(batch);
        }
#pragma warning disable CA1031 // Every failure must reach the writers waiting on this batch, whatever it is.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _counterKnown = false;
            Log.TransactionFailed(_logger, batch.Count, e);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(e);
            }
        }
    }

    private async Task CommitBatchCoreAsync(List<PendingWrite> batch)
    {
        var conflicts = 0;
        while (batch.Count > 0)
        {
            if (!_counterKnown)
            {
                (_counter, _counterETag) = await ReadCounterAsync(CancellationToken.None);
                _counterKnown = true;
            }

            var first = _counter + 1;
            var batchId = Guid.NewGuid().ToString("N");
            var committedAt = _time.GetUtcNow();
            var json = new byte[batch.Count][];
            var actions = new List<TableTransactionAction>(1 + (2 * batch.Count)) { CounterAction(first + batch.Count - 1, batchId) };
            for (var i = 0; i < batch.Count; i++)
            {
                json[i] = batch[i].Render(first + i);
                actions.Add(ObjectAction(batch[i], json[i], first + i));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, LogRow(batch[i], json[i], first + i, batchId, committedAt)));
            }

            try
            {
                // Not the caller's token: once sent, a transaction's outcome belongs to every write in it.
                var response = await _table.SubmitTransactionAsync(actions, CancellationToken.None);
                Committed(batch, first, json, response.Value[0].Headers.ETag, response.Value);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or TimeoutException or OperationCanceledException)
            {
                _counterKnown = false;

                // The SDK retries a transaction whose response was lost; the retry then fails on the counter
                // that the first attempt moved. The change-log row says whether this transaction committed.
                if (await CommittedEarlierAsync(first, batchId))
                {
                    Log.LostResponseCommitted(_logger, first, first + batch.Count - 1);
                    Committed(batch, first, json, counterETag: null, responses: null);
                    return;
                }

                if (e is TableTransactionFailedException { FailedTransactionActionIndex: 0, Status: 409 or 412 })
                {
                    // Another process moved the counter: number the writes again and retry.
                    conflicts++;
                    if (conflicts >= MaxCounterConflicts)
                    {
                        throw new TimeoutException($"The resource version counter moved under {conflicts} transactions in a row.", e);
                    }

                    Log.CounterConflict(_logger, batch.Count, conflicts);
                    if (conflicts > 1)
                    {
#pragma warning disable CA5394 // Jitter to spread contending processes, not security.
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(conflicts, 20))));
#pragma warning restore CA5394
                    }
                }
                else if (e is TableTransactionFailedException { FailedTransactionActionIndex: int index } rejected && index % 2 == 1)
                {
                    // An object row refused (exists, missing, changed): that write is rejected, the rest go again.
                    _counterKnown = true;
                    var position = (index - 1) / 2;
                    batch[position].Completion.TrySetResult(WriteOutcome.Rejected(rejected));
                    batch.RemoveAt(position);
                }
                else if (e is RequestFailedException tooLarge && IsTooLarge(tooLarge))
                {
                    // Over a service limit: go on one write at a time, so only the write that does not fit fails.
                    _counterKnown = true;
                    if (batch.Count == 1)
                    {
                        batch[0].Completion.TrySetResult(WriteOutcome.Rejected(tooLarge));
                        batch.Clear();
                    }
                    else
                    {
                        ReturnToPending(batch.GetRange(1, batch.Count - 1));
                        batch.RemoveRange(1, batch.Count - 1);
                    }
                }
                else
                {
                    throw;
                }
            }
        }
    }

    private void Committed(List<PendingWrite> batch, long first, byte[][] json, ETag? counterETag, IReadOnlyList<Response>? responses)
    {
        _counter = first + batch.Count - 1;
        _counterETag = counterETag;
        _counterKnown = counterETag is { } etag && etag != default;
        for (var i = 0; i < batch.Count; i++)
        {
            // Each write's object row is the transaction's action 1 + 2i; a lost response leaves its ETag unknown.
            if (batch[i].Kind == WriteKind.Delete || responses is null || responses.Count <= 1 + (2 * i))
            {
                _rowETags.Forget(batch[i].RowKey);
            }
            else
            {
                _rowETags.Remember(batch[i].RowKey, first + i, responses[1 + (2 * i)].Headers.ETag);
            }

            batch[i].Completion.TrySetResult(new WriteOutcome(first + i, json[i], null));
        }

        batch.Clear();

        // The watches this wakes need a read of the counter begun after this commit: they may share one (before the wake).
        Volatile.Write(ref _lastCommitTicket, _watchHead.Ticket());
        Interlocked.Exchange(ref _committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private void ReturnToPending(List<PendingWrite> writes)
    {
        lock (_pendingGate)
        {
            _pending.InsertRange(0, writes);
        }
    }

    private async Task<bool> CommittedEarlierAsync(long first, string batchId)
    {
        try
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(
                TableKeys.Partition, TableKeys.LogRow(first), [BatchProperty], CancellationToken.None);
            return row.HasValue && row.Value!.GetString(BatchProperty) == batchId;
        }
        catch (RequestFailedException)
        {
            return false;
        }
    }

    private TableTransactionAction CounterAction(long value, string batchId)
    {
        var counter = new TableEntity(TableKeys.Partition, TableKeys.CounterRow)
        {
            [ValueProperty] = value,
            [BatchProperty] = batchId,
        };
        return _counterETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counter, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, counter);
    }

    private static TableTransactionAction ObjectAction(PendingWrite write, byte[] json, long resourceVersion)
    {
        if (write.Kind == WriteKind.Delete)
        {
            return new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(TableKeys.Partition, write.RowKey), write.ObjectETag);
        }

        var row = new TableEntity(TableKeys.Partition, write.RowKey)
        {
            [ResourceProperty] = write.Key.Type.GroupResource,
            [NamespaceProperty] = write.Key.Namespace ?? string.Empty,
            [NameProperty] = write.Key.Name,
            [ResourceVersionProperty] = resourceVersion,
        };
        ObjectPayload.Write(row, json);
        return write.Kind == WriteKind.Create
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, write.ObjectETag);
    }

    private static TableEntity LogRow(PendingWrite write, byte[] json, long resourceVersion, string batchId, DateTimeOffset committedAt)
    {
        var row = new TableEntity(TableKeys.Partition, TableKeys.LogRow(resourceVersion))
        {
            [TypeProperty] = write.Change.ToString(),
            [ResourceProperty] = write.Key.Type.GroupResource,
            [NamespaceProperty] = write.Key.Namespace ?? string.Empty,
            [NameProperty] = write.Key.Name,
            [BatchProperty] = batchId,
            [CommittedAtProperty] = committedAt,
        };
        ObjectPayload.Write(row, json);
        return row;
    }
}
