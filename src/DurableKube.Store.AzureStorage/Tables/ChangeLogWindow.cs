using k8s;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The newest stretch of the change log, every resource's entries, held in memory so that the watches of one process
/// read each entry from storage once between them instead of once each (the kube-apiserver's watch cache does the
/// same for etcd). It holds every entry numbered in (<see cref="From"/>, <see cref="To"/>]; the oldest are let go once
/// the entries take more than the byte budget, and a watch from before <see cref="From"/> reads storage itself.
/// </summary>
/// <remarks>Thread-safe. Pure: the store reads the entries and decides when to extend or reset the window.</remarks>
internal sealed class ChangeLogWindow
{
    private readonly long _budgetBytes;
    private readonly object _gate = new();
    // Held in resource version order from _start on; entries before _start were let go and are removed in bulk.
    private readonly List<ChangeLogEntry> _entries = [];
    private int _start;
    private long _bytes;
    private long _from = -1;
    private long _to = -1;

    /// <summary>Initializes a new instance of the <see cref="ChangeLogWindow"/> class.</summary>
    /// <param name="budgetBytes">The most payload bytes held; older entries beyond it are let go.</param>
    public ChangeLogWindow(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        _budgetBytes = budgetBytes;
    }

    /// <summary>Gets the resource version after which every entry is held, or -1 before the window is first set.</summary>
    public long From
    {
        get
        {
            lock (_gate)
            {
                return _from;
            }
        }
    }

    /// <summary>Gets the resource version through which every entry is held, or -1 before the window is first set.</summary>
    public long To
    {
        get
        {
            lock (_gate)
            {
                return _to;
            }
        }
    }

    /// <summary>Gets the payload bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Empties the window and starts it at <paramref name="at"/>: entries after it may be appended.</summary>
    /// <param name="at">A resource version every entry numbered at or below which has committed.</param>
    public void Reset(long at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(at);
        lock (_gate)
        {
            _entries.Clear();
            _start = 0;
            _bytes = 0;
            _from = at;
            _to = at;
        }
    }

    /// <summary>Appends every entry numbered in (<paramref name="after"/>, <paramref name="through"/>], in order.</summary>
    /// <param name="after">Where the entries start: the window's <see cref="To"/> when they were read.</param>
    /// <param name="through">The resource version the entries were read through.</param>
    /// <param name="entries">Every entry of the change log in that stretch, in resource version order.</param>
    /// <returns>False, changing nothing, when the window no longer ends at <paramref name="after"/>.</returns>
    public bool Append(long after, long through, IReadOnlyList<ChangeLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(through, after);
        lock (_gate)
        {
            if (_to != after || _to < 0)
            {
                return false;
            }

            var previous = after;
            foreach (var entry in entries)
            {
                if (entry.ResourceVersion <= previous || entry.ResourceVersion > through)
                {
                    throw new ArgumentException($"Entry {entry.ResourceVersion} is out of order or outside ({after}, {through}].", nameof(entries));
                }

                previous = entry.ResourceVersion;
            }

            foreach (var entry in entries)
            {
                _entries.Add(entry);
                _bytes += entry.Json.Length;
            }

            _to = through;
            while (_bytes > _budgetBytes && _start < _entries.Count)
            {
                var oldest = _entries[_start++];
                _bytes -= oldest.Json.Length;
                _from = oldest.ResourceVersion;
            }

            Compact();
            return true;
        }
    }

    /// <summary>
    /// Lets go of the entries compaction has removed from the log (numbered at or below <paramref name="through"/>), so
    /// that a watch from before them is refused as it would be by the log: the window never lets a watch resume further
    /// back than the log's retention.
    /// </summary>
    /// <param name="through">The compaction mark.</param>
    public void Forget(long through)
    {
        lock (_gate)
        {
            if (_from < 0 || through <= _from)
            {
                return;
            }

            while (_start < _entries.Count && _entries[_start].ResourceVersion <= through)
            {
                _bytes -= _entries[_start++].Json.Length;
            }

            _from = through;
            _to = Math.Max(_to, through);
            Compact();
        }
    }

    /// <summary>
    /// Reads the entries of one resource (and namespace) numbered in (<paramref name="position"/>, <paramref name="head"/>],
    /// at most <paramref name="max"/> of them, when the window holds that whole stretch.
    /// </summary>
    /// <param name="resource">The resource's group-qualified name, as the log rows carry it.</param>
    /// <param name="namespace">The namespace, or null for all.</param>
    /// <param name="position">The watch's position.</param>
    /// <param name="head">The change log's head the watch has read.</param>
    /// <param name="max">The most entries to hand out at once.</param>
    /// <param name="read">The entries, and the position the watch moves to: <paramref name="head"/>, or the last entry when there are more.</param>
    /// <returns>False when the window does not hold the whole stretch.</returns>
    public bool TryRead(string resource, string? @namespace, long position, long head, int max, out (IReadOnlyList<ChangeLogEntry> Entries, long Position, bool More) read)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_gate)
        {
            if (_from < 0 || position < _from || head > _to)
            {
                read = default;
                return false;
            }

            var entries = new List<ChangeLogEntry>();
            for (var i = FirstAfter(position); i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (entry.ResourceVersion > head)
                {
                    break;
                }

                if (entry.Resource == resource && (@namespace is null || entry.Namespace == @namespace))
                {
                    entries.Add(entry);
                    if (entries.Count == max)
                    {
                        read = (entries, entry.ResourceVersion, true);
                        return true;
                    }
                }
            }

            read = (entries, head, false);
            return true;
        }
    }

    /// <summary>Removes the entries let go in bulk, once they are half the list.</summary>
    private void Compact()
    {
        if (_start > _entries.Count / 2)
        {
            _entries.RemoveRange(0, _start);
            _start = 0;
        }
    }

    /// <summary>The index of the first entry held numbered after <paramref name="position"/> (a binary search).</summary>
    private int FirstAfter(long position)
    {
        int low = _start, high = _entries.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_entries[middle].ResourceVersion <= position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>One change-log entry as the window holds it.</summary>
/// <param name="ResourceVersion">The resource version the write was numbered.</param>
/// <param name="Resource">The resource's group-qualified name.</param>
/// <param name="Namespace">The object's namespace, empty for a cluster-scoped object (as the log row has it).</param>
/// <param name="Type">Added, Modified or Deleted.</param>
/// <param name="Json">The object's UTF-8 JSON as written.</param>
internal sealed record ChangeLogEntry(long ResourceVersion, string Resource, string Namespace, WatchEventType Type, byte[] Json);
