namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// One read that many callers may share: a caller takes a <see cref="Ticket"/>, and its read is any read that began
/// after that ticket (in flight or done), or a new one. So a caller sees at least everything written before it took its
/// ticket, exactly as with a read of its own, while callers that wake together (every watch, on each commit) make one
/// request instead of one each.
/// </summary>
/// <typeparam name="T">What is read.</typeparam>
internal sealed class SharedRead<T>
{
    private readonly Func<CancellationToken, Task<T>> _read;
    private readonly object _gate = new();
    private long _tickets;
    private Task<T>? _latest;
    private long _latestTicket;

    /// <summary>Initializes a new instance of the <see cref="SharedRead{T}"/> class.</summary>
    /// <param name="read">The read (given no cancellation: others may be waiting on it).</param>
    public SharedRead(Func<CancellationToken, Task<T>> read) => _read = read;

    /// <summary>Takes a ticket: a read that begins after this call may serve it.</summary>
    /// <returns>The ticket.</returns>
    public long Ticket() => Interlocked.Increment(ref _tickets);

    /// <summary>The result of a read that began after <paramref name="ticket"/> was taken.</summary>
    /// <param name="ticket">From <see cref="Ticket"/>, taken once what must be seen was written.</param>
    /// <param name="cancellationToken">Cancels the wait (not a read others share).</param>
    /// <returns>What was read.</returns>
    public Task<T> ReadAsync(long ticket, CancellationToken cancellationToken)
    {
        Task<T> read;
        lock (_gate)
        {
            if (_latest is null || _latestTicket <= ticket || _latest.IsFaulted || _latest.IsCanceled)
            {
                // The new read's ticket comes before its request, so it is later than every ticket taken so far.
                _latestTicket = Interlocked.Increment(ref _tickets);
                _latest = _read(CancellationToken.None);
            }

            read = _latest;
        }

        return read.WaitAsync(cancellationToken);
    }
}
