namespace DurableKube.Bench;

/// <summary>Follows Azurite's debug log as it grows and tallies it (<see cref="StorageLogTally"/>).</summary>
internal sealed class StorageLog : IDisposable
{
    private readonly FileStream? _file;
    private readonly StreamReader? _reader;
    private readonly StorageLogTally _tally;

    /// <summary>Initializes a new instance of the <see cref="StorageLog"/> class.</summary>
    /// <param name="path">The log; null or missing: nothing is counted.</param>
    /// <param name="changeQueue">The change queue's name.</param>
    public StorageLog(string? path, string changeQueue)
    {
        _tally = new StorageLogTally(changeQueue);
        if (path is not null && File.Exists(path))
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _reader = new StreamReader(_file);
        }
    }

    /// <summary>Gets a value indicating whether there is a log to count.</summary>
    public bool Counting => _reader is not null;

    /// <summary>Reads what was added since the last call and returns the totals so far.</summary>
    /// <returns>Requests and change-queue messages so far.</returns>
    public async Task<(long Requests, long ChangeMessages)> ReadAsync()
    {
        if (_reader is not null)
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await _reader.ReadAsync(buffer)) > 0)
            {
                _tally.Add(new string(buffer, 0, read));
            }
        }

        return (_tally.Requests, _tally.ChangeMessages);
    }

    /// <summary>
    /// The requests and change-queue messages Azurite logged in a window, once its log has reached the window's end
    /// (or <paramref name="patience"/> has passed).
    /// </summary>
    /// <param name="from">The window's start.</param>
    /// <param name="to">The window's end.</param>
    /// <param name="patience">How long to wait for the log to catch up.</param>
    /// <returns>Requests and messages in the window.</returns>
    public async Task<(long Requests, long ChangeMessages)> BetweenAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan patience)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await ReadAsync();
        while (_reader is not null && _tally.Latest < to && waited.Elapsed < patience)
        {
            await Task.Delay(500);
            await ReadAsync();
        }

        return _tally.Between(from, to);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _reader?.Dispose();
        _file?.Dispose();
    }
}
