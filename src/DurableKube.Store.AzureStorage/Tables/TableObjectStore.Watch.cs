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

    /// <summary>The most change-log entries the window reads to catch up; further behind, it starts again at the head.</summary>
    private const long WindowMaxGap = 5000;

    /// <summary>The most payload bytes the window holds (the newest entries; a watch further behind reads the log itself).</summary>
    private const long WindowBudgetBytes = 16L * 1024 * 1024;

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
    /// The rows come from this process's <see cref="ChangeLogWindow"/> when it holds the stretch: the
    /// watches of a process read the newest entries of the log once between them, all resources in one
    /// query per move of the counter, checked against the compaction mark as above. A watch from before
    /// the window (a resume from an older version, or one that fell far behind) reads the log itself.
    /// </para>
    /// <para>
    /// Between rounds the watch sleeps for the poll interval, or less: a write committed by this
    /// process wakes every watch of this process at once. A watch woken by its poll timer (for other
    /// processes' writes) takes any counter read begun after it went to sleep, so the watches of a
    /// process poll storage about once per interval between them, not once each.
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

        // Woken by this host's commit, a read of the counter begun after the last commit sees all of them (the
        // watches woken together share it); woken by the poll timer, one begun after the watch went to sleep (the
        // polling watches share it); otherwise (the first round, or more rows to read) a read begun from now on.
        long? ticket = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before reading, so that a commit during the read is not slept through.
            var committed = Volatile.Read(ref _committed).Task;
            WatchRound round;
            try
            {
                round = await ReadWatchRoundAsync(type, @namespace, position, ticket ?? _watchHead.Ticket(), cancellationToken);
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
            ticket = null;
            if (round.More)
            {
                continue;
            }

            var asleep = _watchHead.Ticket();
            try
            {
                await committed.WaitAsync(_watchPollInterval, _time, cancellationToken);
                ticket = Volatile.Read(ref _lastCommitTicket);
            }
            catch (TimeoutException)
            {
                // The poll interval passed: read again.
                ticket = asleep;
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

        await ExtendWindowAsync(position, head, cancellationToken);
        if (_window.TryRead(type.GroupResource, @namespace, position, head, WatchChunk, out var held))
        {
            var events = held.Entries
                .Select(e => new ObjectChangeEvent(e.Type, Deserialize(type, e.Json), e.ResourceVersion.ToString(CultureInfo.InvariantCulture)))
                .ToList();
            return new WatchRound(events, held.Position, held.More);
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

        await ThrowIfCompactedPastAsync(position, cancellationToken);
        var more = changes.Count == WatchChunk;
        return new WatchRound(changes, more ? last : head, more);
    }

    /// <summary>
    /// Brings this process's window of the change log through <paramref name="head"/>: one query of every resource's
    /// entries after the window's end, for all the watches that need it (the others wait for it and find it done).
    /// The first watch of the process starts the window at its own <paramref name="position"/>.
    /// </summary>
    private async Task ExtendWindowAsync(long position, long head, CancellationToken cancellationToken)
    {
        if (_window.To >= head)
        {
            return;
        }

        await _windowExtension.WaitAsync(cancellationToken);
        try
        {
            var to = _window.To;
            if (to >= head)
            {
                return;
            }

            if (to < 0 && head - position <= WindowMaxGap)
            {
                // The first watch of this process: the window starts where it does.
                _window.Reset(position);
                to = position;
            }
            else if (to < 0 || head - to > WindowMaxGap)
            {
                // A window left far behind (no watch for a while), or a first watch far behind: it starts again at
                // the head, and the watches from before it read the log themselves.
                _window.Reset(head);
                return;
            }

            var entries = new List<ChangeLogEntry>();
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {TableKeys.Partition} and RowKey gt {TableKeys.LogRow(to)} and RowKey le {TableKeys.LogRow(head)}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, WatchChunk, cancellationToken: cancellationToken))
            {
                entries.Add(new ChangeLogEntry(
                    TableKeys.ResourceVersionOfLogRow(row.RowKey),
                    row.GetString(ResourceProperty),
                    row.GetString(NamespaceProperty) ?? string.Empty,
                    Enum.Parse<WatchEventType>(row.GetString(TypeProperty)),
                    ObjectPayload.Read(row)));
            }

            // As for a watch's own read: a mark past the window's end means rows it needed may have been removed.
            var (compactedThrough, _) = await _watchCompaction.ReadAsync(_watchCompaction.Ticket(), cancellationToken);
            if (compactedThrough > to)
            {
                _window.Reset(head);
                return;
            }

            _window.Append(to, head, entries);
            _window.Forget(compactedThrough);
        }
        finally
        {
            _windowExtension.Release();
        }
    }

    private async Task ThrowIfCompactedPastAsync(long position, CancellationToken cancellationToken)
    {
        var (compactedThrough, _) = await _watchCompaction.ReadAsync(_watchCompaction.Ticket(), cancellationToken);
        if (compactedThrough > position)
        {
            throw new StoreException(StoreErrorKind.Expired, null, $"too old resource version: {position} ({compactedThrough})");
        }
    }

    private sealed record WatchRound(IReadOnlyList<ObjectChangeEvent> Changes, long Position, bool More);
}
