using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>Watches: reading the change log from a resource version on.</summary>
internal sealed partial class TableObjectStore
{
    /// <summary>The most change-log entries one read of a watch takes before handing them out.</summary>
    private const int WatchChunk = 500;

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Each round reads the counter first (one point read; when it has not moved past the watch's
    /// position the round ends there), then the change-log rows of the type (and namespace) between
    /// the position and that counter value, then the compaction mark. Every write numbered at or below
    /// the counter value had committed before the rows were read, so the watch may then move its
    /// position to the counter value without missing a row. Compaction moves its mark before it removes
    /// rows, so a mark read after the rows that is still at or below the position proves no row the
    /// watch needed was removed under it; otherwise the watch fails with Expired.
    /// </para>
    /// <para>
    /// Between rounds the watch sleeps for the poll interval, or less: a write committed by this
    /// process wakes every watch of this process at once.
    /// </para>
    /// </remarks>
    public async IAsyncEnumerable<ObjectChangeEvent> WatchAsync(
        ResourceType type, string? @namespace, string afterResourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(afterResourceVersion);
        if (!long.TryParse(afterResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            throw new ArgumentException($"'{afterResourceVersion}' is not a resource version.", nameof(afterResourceVersion));
        }

        var wokenByCommit = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before reading, so that a commit during the read is not slept through.
            var committed = Volatile.Read(ref _committed).Task;

            // Woken by this host's commit, a read of the counter begun after the last commit sees all of them (the
            // watches woken together share it); otherwise (the first round, or a poll for other hosts' writes) a
            // read begun from now on.
            var ticket = wokenByCommit ? Volatile.Read(ref _lastCommitTicket) : _watchHead.Ticket();
            wokenByCommit = false;
            WatchRound round;
            try
            {
                round = await ReadWatchRoundAsync(type, @namespace, position, ticket, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            foreach (var change in round.Changes)
            {
                yield return change;
            }

            position = round.Position;
            if (round.More)
            {
                continue;
            }

            try
            {
                await committed.WaitAsync(_watchPollInterval, _time, cancellationToken);
                wokenByCommit = true;
            }
            catch (TimeoutException)
            {
                // The poll interval passed: read again.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task<WatchRound> ReadWatchRoundAsync(ResourceType type, string? @namespace, long position, long ticket, CancellationToken cancellationToken)
    {
        await _createTable.RunAsync(cancellationToken);

        // Every watch wakes on each commit: they share the reads of the counter and of the compaction mark (one
        // request for all the watches that wake together), each read begun after the watch's own ticket.
        var (head, _) = await _watchHead.ReadAsync(ticket, cancellationToken);
        if (head <= position)
        {
            return new WatchRound([], position, More: false);
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeys.Partition} and RowKey gt {TableKeys.LogRow(position)} and RowKey le {TableKeys.LogRow(head)} and Resource eq {type.GroupResource}");
        if (@namespace is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Namespace eq {@namespace}");
        }

        var changes = new List<ObjectChangeEvent>();
        var last = position;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, WatchChunk, cancellationToken: cancellationToken))
        {
            var resourceVersion = TableKeys.ResourceVersionOfLogRow(row.RowKey);
            var change = Enum.Parse<WatchEventType>(row.GetString(TypeProperty));
            changes.Add(new ObjectChangeEvent(change, Deserialize(type, ObjectPayload.Read(row)), resourceVersion.ToString(CultureInfo.InvariantCulture)));
            last = resourceVersion;
            if (changes.Count == WatchChunk)
            {
                break;
            }
        }

        var (compactedThrough, _) = await _watchCompaction.ReadAsync(_watchCompaction.Ticket(), cancellationToken);
        if (compactedThrough > position)
        {
            throw new StoreException(StoreErrorKind.Expired, null, $"too old resource version: {position} ({compactedThrough})");
        }

        var more = changes.Count == WatchChunk;
        return new WatchRound(changes, more ? last : head, more);
    }

    private sealed record WatchRound(IReadOnlyList<ObjectChangeEvent> Changes, long Position, bool More);
}
