using System.Globalization;
using System.Runtime.CompilerServices;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Aci;

/// <summary>Logs through ARM's logs endpoint; a follow polls it.</summary>
public sealed partial class AciContainerRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// ACI keeps the log of a container's current run only: a run of an earlier generation has none. Lines come with
    /// ACI's timestamps (<c>timestamps=true</c>) and as stdout (ACI does not tell the streams apart). A follow reads the
    /// log again every <see cref="AciRuntimeOptions.LogPollInterval"/>, yields the lines after the last one it saw, and
    /// ends once the run has exited.
    /// </remarks>
    public async IAsyncEnumerable<LogLine> ReadLogAsync(ContainerRunId id, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = await FindAsync(id.PodUid, cancellationToken) ?? throw new ContainerRuntimeException($"No container group holds pod {id.PodUid}.", transient: false);
        var group = await ReadAsync(entry, cancellationToken) ?? throw new ContainerRuntimeException($"The container group of pod {id.PodUid} is gone.", transient: false);
        if (GroupObservation.GenerationOf(group) != id.Attempt)
        {
            throw new ContainerRuntimeException($"ACI keeps only the log of the current run of {id.ContainerName}; run {id.Attempt} was replaced.", transient: false);
        }

        var tail = options.TailLines is { } lines ? (int)Math.Min(lines, int.MaxValue) : (int?)null;
        var seen = 0;
        DateTimeOffset? last = null;
        while (true)
        {
            var text = await _arm.GetLogsAsync(entry.Name, id.ContainerName, tail, timestamps: true, cancellationToken)
                ?? throw new ContainerRuntimeException($"No log of container {id.ContainerName} in container group {entry.Name}.", transient: false);
            var parsed = Parse(text).Where(line => options.Since is not { } since || line.Time >= since).ToList();

            // After the first read, only what is newer than the last line yielded (lines of the same instant counted).
            var fresh = last is { } after ? parsed.Where(line => line.Time > after).ToList() : parsed;
            if (last is { } at)
            {
                var sameInstant = parsed.Where(line => line.Time == at).ToList();
                fresh = [.. sameInstant.Skip(seen), .. fresh];
            }

            foreach (var line in fresh)
            {
                seen = line.Time == last ? seen + 1 : 1;
                last = line.Time;
                yield return line;
            }

            if (!options.Follow)
            {
                yield break;
            }

            tail = null;
            var run = await GetContainerAsync(id, cancellationToken);
            if (run is null || run.State == ContainerRunState.Exited)
            {
                yield break;
            }

            await Task.Delay(_options.LogPollInterval, _time, cancellationToken);
        }
    }

    private static IEnumerable<LogLine> Parse(string text)
    {
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && DateTimeOffset.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                yield return new LogLine(time, "stdout", line[(space + 1)..], Complete: i < count - 1 || text.EndsWith('\n'));
            }
            else
            {
                yield return new LogLine(DateTimeOffset.UnixEpoch, "stdout", line, Complete: i < count - 1 || text.EndsWith('\n'));
            }
        }
    }
}
