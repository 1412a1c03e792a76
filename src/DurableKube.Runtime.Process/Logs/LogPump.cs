using System.Globalization;
using System.Runtime.Versioning;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process.Logs;

/// <summary>
/// Copies what a run wrote to its <c>stdout</c> and <c>stderr</c> files into its CRI <c>log</c>, with a time per
/// record, and remembers in <c>log.pos</c> how far it got, so a new runtime after a crash goes on where the
/// old one stopped. Bytes written while no runtime was running get the time they are caught up (bounded by
/// the file's modification time, so they are never later than the last write). A crash between appending
/// to the log and saving the position may repeat those records once.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LogPump : IDisposable
{
    private const int MaxReadBytes = 4 * 1024 * 1024;

    private readonly RunPaths _paths;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;
    private bool _done;
    private long _stdout;
    private long _stderr;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Initializes a new instance of the <see cref="LogPump"/> class.</summary>
    /// <param name="paths">The run's files.</param>
    /// <param name="time">The clock.</param>
    public LogPump(RunPaths paths, TimeProvider time)
    {
        _paths = paths;
        _time = time;
    }

    /// <summary>Copies whatever is new into the log.</summary>
    /// <param name="final">
    /// The run has ended: copy everything, including a last line without a newline, and mark the log drained.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for another pass in progress.</param>
    /// <returns>A task that completes once the pass is done.</returns>
    public async Task PumpAsync(bool final, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(_paths.Directory))
            {
                return;
            }

            if (!_loaded)
            {
                Load();
            }

            if (_done)
            {
                return;
            }

            using var records = new MemoryStream();
            _stdout = Collect(_paths.Stdout, "stdout", _stdout, final, records);
            _stderr = Collect(_paths.Stderr, "stderr", _stderr, final, records);
            if (records.Length > 0)
            {
                using (var log = new FileStream(_paths.Log, new FileStreamOptions
                {
                    Mode = FileMode.Append,
                    Access = FileAccess.Write,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    UnixCreateMode = RunFiles.PrivateFile,
                }))
                {
                    records.Position = 0;
                    records.CopyTo(log);
                }

                RunFiles.WriteAtomic(
                    _paths.LogPosition,
                    string.Create(CultureInfo.InvariantCulture, $"{_stdout} {_stderr} {_last.UtcTicks}\n"));
            }

            if (final)
            {
                RunFiles.Touch(_paths.Drained);
                _done = true;
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The run was removed while being pumped.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private void Load()
    {
        _done = File.Exists(_paths.Drained);
        var parts = RunFiles.TryReadText(_paths.LogPosition)?.Split(' ', StringSplitOptions.TrimEntries);
        if (parts is { Length: 3 }
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var stdout)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stderr)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            _stdout = stdout;
            _stderr = stderr;
            _last = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        _loaded = true;
    }

    private long Collect(string path, string stream, long offset, bool final, MemoryStream records)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return offset;
        }

        using (file)
        {
            while (true)
            {
                var available = file.Length - offset;
                if (available <= 0)
                {
                    return offset;
                }

                var data = new byte[Math.Min(available, MaxReadBytes)];
                file.Position = offset;
                var read = file.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
                var atEnd = offset + read >= file.Length;
                var time = Stamp(file);
                var consumed = Split(data.AsSpan(0, read), stream, time, final && atEnd, records);
                offset += consumed;
                if (!final || consumed == 0)
                {
                    return offset;
                }
            }
        }
    }

    private DateTimeOffset Stamp(FileStream file)
    {
        // The file's modification time (taken after reading) is when the newest byte read was written at
        // the latest; "now" bounds it. Times never go back, so Since filters and tails see an ordered log.
        var now = _time.GetUtcNow();
        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(file.SafeFileHandle), TimeSpan.Zero);
        var time = written < now ? written : now;
        if (time < _last)
        {
            time = _last;
        }

        _last = time;
        return time;
    }

    private static int Split(ReadOnlySpan<byte> data, string stream, DateTimeOffset time, bool flush, MemoryStream records)
    {
        var consumed = 0;
        while (true)
        {
            var rest = data[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                // An unfinished line: pieces of the maximum size now; the remainder when it ends, or at the end.
                while (rest.Length >= CriLog.MaxContentBytes || (flush && rest.Length > 0))
                {
                    var piece = Math.Min(rest.Length, CriLog.MaxContentBytes);
                    CriLog.AppendRecord(records, time, stream, complete: false, rest[..piece]);
                    rest = rest[piece..];
                    consumed += piece;
                }

                return consumed;
            }

            var line = rest[..newline];
            while (line.Length > CriLog.MaxContentBytes)
            {
                CriLog.AppendRecord(records, time, stream, complete: false, line[..CriLog.MaxContentBytes]);
                line = line[CriLog.MaxContentBytes..];
            }

            CriLog.AppendRecord(records, time, stream, complete: true, line);
            consumed += newline + 1;
        }
    }
}
