namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// The last whole read of each list (one resource, in one namespace or in all), kept as the objects' JSON with the
/// resource version it was read at, so that a list the change log shows unchanged since is answered from memory. Bounded
/// by bytes, the least recently used let go first; a list larger than a quarter of the budget is not kept.
/// </summary>
/// <remarks>Thread-safe. Whether a snapshot still holds is for the store to say (<see cref="ChangeLogWindow"/>).</remarks>
internal sealed class ListSnapshots
{
    private readonly long _budgetBytes;
    private readonly object _gate = new();
    private readonly Dictionary<(string Resource, string? Namespace), LinkedListNode<Entry>> _byKey = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _bytes;

    /// <summary>Initializes a new instance of the <see cref="ListSnapshots"/> class.</summary>
    /// <param name="budgetBytes">The most JSON bytes kept in all.</param>
    public ListSnapshots(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        _budgetBytes = budgetBytes;
    }

    /// <summary>Gets the JSON bytes kept.</summary>
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

    /// <summary>The snapshot of a list, if one is kept.</summary>
    /// <param name="resource">The resource's group-qualified name.</param>
    /// <param name="namespace">The namespace, or null for all (and for cluster-scoped resources).</param>
    /// <returns>The resource version it holds as of, and the objects' JSON; null when none is kept.</returns>
    public (long ResourceVersion, IReadOnlyList<byte[]> Objects)? Get(string resource, string? @namespace)
    {
        lock (_gate)
        {
            if (!_byKey.TryGetValue((resource, @namespace), out var node))
            {
                return null;
            }

            _recent.Remove(node);
            _recent.AddFirst(node);
            return (node.Value.ResourceVersion, node.Value.Objects);
        }
    }

    /// <summary>Keeps the snapshot of a list, replacing the one kept.</summary>
    /// <param name="resource">The resource's group-qualified name.</param>
    /// <param name="namespace">The namespace, or null for all.</param>
    /// <param name="resourceVersion">The resource version every object is as of (or later: then the log shows a change since).</param>
    /// <param name="objects">Every object of the list, as JSON.</param>
    public void Put(string resource, string? @namespace, long resourceVersion, IReadOnlyList<byte[]> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var size = objects.Sum(o => (long)o.Length);
        lock (_gate)
        {
            Remove((resource, @namespace));
            if (size > _budgetBytes / 4)
            {
                return;
            }

            _byKey[(resource, @namespace)] = _recent.AddFirst(new Entry(resource, @namespace, resourceVersion, objects, size));
            _bytes += size;
            while (_bytes > _budgetBytes && _recent.Last is { } oldest)
            {
                Remove((oldest.Value.Resource, oldest.Value.Namespace));
            }
        }
    }

    /// <summary>Moves a snapshot found unchanged through <paramref name="to"/> on to it (if it is still the one read at <paramref name="from"/>).</summary>
    /// <param name="resource">The resource's group-qualified name.</param>
    /// <param name="namespace">The namespace, or null for all.</param>
    /// <param name="from">The resource version the snapshot was found at.</param>
    /// <param name="to">The resource version it holds through.</param>
    public void Advance(string resource, string? @namespace, long from, long to)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue((resource, @namespace), out var node) && node.Value.ResourceVersion == from && to > from)
            {
                node.Value = node.Value with { ResourceVersion = to };
            }
        }
    }

    private void Remove((string Resource, string? Namespace) key)
    {
        if (_byKey.Remove(key, out var node))
        {
            _recent.Remove(node);
            _bytes -= node.Value.Size;
        }
    }

    private sealed record Entry(string Resource, string? Namespace, long ResourceVersion, IReadOnlyList<byte[]> Objects, long Size);
}
