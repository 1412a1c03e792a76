using System.Collections.Concurrent;
using Azure;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The ETag of each object row at the resource version this process last saw it with (read or written), so an
/// update conditioned on a resource version can be conditioned on the row's ETag without reading the row first.
/// </summary>
/// <remarks>
/// A row at a given resource version has exactly one ETag: every write of the row gives it a new resource version
/// (the counter is global and only moves forward), so an ETag remembered for a version is right for as long as the
/// row still has that version, and a row that has moved on or gone fails the conditioned write with 412 or 404, the
/// same Conflict or NotFound a read first would have found. Bounded: past <see cref="Capacity"/> rows it forgets all
/// and fills again, which costs only the reads it saves.
/// </remarks>
internal sealed class RowETags
{
    /// <summary>How many rows are remembered at most.</summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, (long ResourceVersion, ETag ETag)> _rows = new(StringComparer.Ordinal);

    /// <summary>Gets how many rows are remembered.</summary>
    public int Count => _rows.Count;

    /// <summary>Remembers a row's ETag at a resource version, unless a later version of it is known.</summary>
    /// <param name="rowKey">The object row.</param>
    /// <param name="resourceVersion">Its resource version.</param>
    /// <param name="etag">Its ETag then.</param>
    public void Remember(string rowKey, long resourceVersion, ETag? etag)
    {
        if (etag is not { } known || known == default)
        {
            return;
        }

        if (_rows.Count >= Capacity && !_rows.ContainsKey(rowKey))
        {
            _rows.Clear();
        }

        _rows.AddOrUpdate(rowKey, (resourceVersion, known), (_, old) => old.ResourceVersion > resourceVersion ? old : (resourceVersion, known));
    }

    /// <summary>The row's ETag at this resource version, if it is known.</summary>
    /// <param name="rowKey">The object row.</param>
    /// <param name="resourceVersion">The resource version the caller read.</param>
    /// <returns>The ETag, or <see langword="null"/> when the row must be read.</returns>
    public ETag? Find(string rowKey, long resourceVersion) =>
        _rows.TryGetValue(rowKey, out var entry) && entry.ResourceVersion == resourceVersion ? entry.ETag : null;

    /// <summary>Forgets a row (removed).</summary>
    /// <param name="rowKey">The object row.</param>
    public void Forget(string rowKey) => _rows.TryRemove(rowKey, out _);
}
