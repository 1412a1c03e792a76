using Azure;
using Azure.Data.Tables;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>Change-log compaction.</summary>
internal sealed partial class TableObjectStore
{
    /// <summary>How often compaction re-reads a compaction mark that another compactor moved.</summary>
    private const int MaxMarkConflicts = 16;

    /// <summary>
    /// Removes the change-log entries committed more than <paramref name="retention"/> ago, never the
    /// newest entry. Safe to run from several processes at once.
    /// </summary>
    /// <param name="retention">How long entries are kept.</param>
    /// <param name="cancellationToken">Cancels the compaction (it can be run again).</param>
    /// <returns>The resource version the change log is compacted through: watches from below it expire.</returns>
    /// <remarks>
    /// The compaction mark is moved (monotonically, under its ETag) before any row is removed, which
    /// is what lets a watch tell a gap from compaction apart from an empty stretch of log.
    /// </remarks>
    public async Task<long> CompactChangeLogAsync(TimeSpan retention, CancellationToken cancellationToken = default)
    {
        await _createTable.RunAsync(cancellationToken);
        var cutoff = _time.GetUtcNow() - retention;
        var (head, _) = await ReadCounterAsync(cancellationToken);

        // The oldest entries first, up to the first one still within the retention, and never the newest.
        // Rows below the current mark are included: a compactor that stopped halfway may have left some.
        var doomed = new List<string>();
        var through = 0L;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeys.Partition} and RowKey gt {TableKeys.LogPrefix} and RowKey lt {TableKeys.LogRow(head)}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, 1000, ["RowKey", CommittedAtProperty], cancellationToken))
        {
            if (row.GetDateTimeOffset(CommittedAtProperty) is not { } committedAt || committedAt > cutoff)
            {
                break;
            }

            doomed.Add(row.RowKey);
            through = TableKeys.ResourceVersionOfLogRow(row.RowKey);
        }

        if (doomed.Count == 0)
        {
            var (mark, _) = await ReadCompactionMarkAsync(cancellationToken);
            _window.Forget(mark);
            return mark;
        }

        through = await AdvanceCompactionMarkAsync(through, cancellationToken);

        // The watches of this process then resume no further back than the log, as from the log itself.
        _window.Forget(through);
        await DeleteLogRowsAsync(doomed, cancellationToken);
        Log.ChangeLogCompacted(_logger, through, doomed.Count);
        return through;
    }

    private async Task<long> AdvanceCompactionMarkAsync(long through, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadCompactionMarkAsync(cancellationToken);
            if (current >= through)
            {
                return current;
            }

            var mark = new TableEntity(TableKeys.Partition, TableKeys.CompactionRow) { [ValueProperty] = through };
            try
            {
                if (etag is { } match)
                {
                    await _table.UpdateEntityAsync(mark, match, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(mark, cancellationToken);
                }

                return through;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxMarkConflicts)
            {
                // Another compactor moved the mark: read it again.
            }
        }
    }

    private async Task DeleteLogRowsAsync(List<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(100))
        {
            try
            {
                await _table.SubmitTransactionAsync(
                    chunk.Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(TableKeys.Partition, rowKey), ETag.All)),
                    cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another compactor removed some of them: remove the rest one by one.
                foreach (var rowKey in chunk)
                {
                    try
                    {
                        await _table.DeleteEntityAsync(TableKeys.Partition, rowKey, ETag.All, cancellationToken);
                    }
                    catch (RequestFailedException gone) when (gone.Status == 404)
                    {
                        // Already removed.
                    }
                }
            }
        }
    }
}
