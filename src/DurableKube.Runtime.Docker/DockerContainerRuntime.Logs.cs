using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>Logs, from the engine's log of each run's container (the previous run's container is kept until the next run).</summary>
public sealed partial class DockerContainerRuntime
{
    /// <inheritdoc />
    public async IAsyncEnumerable<LogLine> ReadLogAsync(ContainerRunId id, LogReadOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = DockerLabels.RunName(id);
        if (await InspectAsync(name, cancellationToken) is not { } container)
        {
            throw new ContainerRuntimeException($"container {id} has no log on this node", transient: false);
        }

        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Timestamps = true,
            Follow = options.Follow,
            Tail = options.TailLines is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all",
            Since = options.Since is { } since
                ? (since.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture)
                : null,
        };
        MultiplexedStream stream;
        try
        {
            stream = await _client.Containers.GetContainerLogsAsync(name, tty: container.Config?.Tty == true, parameters, cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new ContainerRuntimeException($"reading the log of container {id} failed: {DockerErrors.Message(e)}", transient: false, e);
        }

        using (stream)
        {
            var pending = new Dictionary<MultiplexedStream.TargetStream, StringBuilder>();
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                if (read.EOF)
                {
                    break;
                }

                if (!pending.TryGetValue(read.Target, out var text))
                {
                    pending[read.Target] = text = new StringBuilder();
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
                var all = text.ToString();
                var end = all.LastIndexOf('\n');
                if (end < 0)
                {
                    continue;
                }

                text.Clear().Append(all, end + 1, all.Length - end - 1);
                foreach (var line in all[..end].Split('\n'))
                {
                    if (ParseLine(line, read.Target, complete: true) is { } parsed && (options.Since is null || parsed.Time >= options.Since))
                    {
                        yield return parsed;
                    }
                }
            }

            foreach (var (target, rest) in pending)
            {
                if (rest.Length > 0 && ParseLine(rest.ToString(), target, complete: false) is { } parsed)
                {
                    yield return parsed;
                }
            }
        }
    }

    /// <summary>Splits a log line as the engine gives it with timestamps (<c>2026-12-03T04:00:00.123456789Z text</c>).</summary>
    private static LogLine? ParseLine(string line, MultiplexedStream.TargetStream target, bool complete)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? line : line[..space];
        var dot = stamp.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && stamp.Length - dot - 2 > 7)
        {
            // The engine writes nanoseconds; .NET reads at most seven digits of a second.
            stamp = stamp[..(dot + 8)] + stamp[^1];
        }

        var content = space < 0 ? string.Empty : line[(space + 1)..];
        if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }

        return new LogLine(time, target == MultiplexedStream.TargetStream.StandardError ? "stderr" : "stdout", content, complete);
    }
}
