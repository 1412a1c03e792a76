using System.Runtime.CompilerServices;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Logs;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <content>Reading logs.</content>
internal sealed partial class ProcessContainerRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// Like the kubelet, <see cref="LogReadOptions.TailLines"/> picks the last records of the log and
    /// <see cref="LogReadOptions.Since"/> then drops those older than the time. A record is one line, or a
    /// 16 KiB piece of a longer one. The log is read a piece (<see cref="CriLog.ReadChunkBytes"/>) at a time, so what is
    /// held in memory does not grow with the log, and the API streams each record as it comes.
    /// </remarks>
    public async IAsyncEnumerable<LogLine> ReadLogAsync(
        ContainerRunId id, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateId(id);
        await EnsureInitializedAsync(cancellationToken);
        var paths = _layout.Run(id);
        if (!File.Exists(paths.Log))
        {
            throw new ContainerRuntimeException($"There is no log for container run {id}.", transient: false);
        }

        await CatchUpAsync(id, paths, cancellationToken);

        // The log is read in pieces (CriLog.ReadChunkBytes), never whole, however much the container wrote: a tail
        // counts the records first, then skips all but the last ones.
        var lines = new List<LogLine>();
        var skip = 0L;
        if (options.TailLines is { } tail and >= 0)
        {
            var count = 0L;
            for (long at = 0, next; (next = CriLog.ReadFrom(paths.Log, at, lines)) != at; at = next)
            {
                count += lines.Count;
                lines.Clear();
                cancellationToken.ThrowIfCancellationRequested();
            }

            skip = Math.Max(0, count - tail);
        }

        var offset = 0L;
        while (true)
        {
            lines.Clear();
            var next = CriLog.ReadFrom(paths.Log, offset, lines);
            if (next == offset)
            {
                break;
            }

            offset = next;
            foreach (var line in lines)
            {
                if (skip > 0)
                {
                    skip--;
                }
                else if (options.Since is not { } since || line.Time >= since)
                {
                    yield return line;
                }
            }
        }

        if (!options.Follow)
        {
            yield break;
        }

        while (true)
        {
            // Decide whether this is the last read before reading: the drained marker is written after the
            // log's last record.
            var finished = File.Exists(paths.Drained) || !Directory.Exists(paths.Directory);
            if (!finished && !_live.ContainsKey(paths.Directory))
            {
                await CatchUpAsync(id, paths, cancellationToken);
                finished = File.Exists(paths.Drained) || !Directory.Exists(paths.Directory);
            }

            long read;
            do
            {
                lines.Clear();
                read = offset;
                offset = CriLog.ReadFrom(paths.Log, offset, lines);
                foreach (var line in lines)
                {
                    if (options.Since is not { } since || line.Time >= since)
                    {
                        yield return line;
                    }
                }
            }
            while (offset != read);

            if (finished)
            {
                yield break;
            }

            await Task.Delay(LogPollInterval, _time, cancellationToken);
        }
    }

    private async Task CatchUpAsync(ContainerRunId id, RunPaths paths, CancellationToken cancellationToken)
    {
        // An exited run is drained by reading its state; a running one gets one pump pass now.
        if (await GetStatusCoreAsync(id, paths, drain: true, gateHeld: false, cancellationToken) is { State: ContainerRunState.Running })
        {
            await Pump(paths).PumpAsync(final: false, cancellationToken);
        }
    }
}
