using System.Globalization;

namespace DurableKube.Bench;

/// <summary>What ARM's throttling counts a request as: a read (GET), a write (PUT, PATCH, POST) or a delete.</summary>
internal enum ArmOperation
{
    /// <summary>A GET.</summary>
    Read,

    /// <summary>A PUT, PATCH or POST.</summary>
    Write,

    /// <summary>A DELETE.</summary>
    Delete,
}

/// <summary>One request the fake ARM server answered, as its log (<c>requests.tsv</c>) gives it.</summary>
/// <param name="Time">When it arrived.</param>
/// <param name="Operation">What ARM's throttling counts it as.</param>
internal readonly record struct ArmCall(DateTimeOffset Time, ArmOperation Operation)
{
    /// <summary>The log's line of a request: its arrival in Unix milliseconds, a tab, its method.</summary>
    /// <param name="time">When it arrived.</param>
    /// <param name="method">Its HTTP method.</param>
    /// <returns>The line, without a line break.</returns>
    public static string Line(DateTimeOffset time, string method) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.ToUnixTimeMilliseconds()}\t{method}");

    /// <summary>Reads the log's complete lines (its writer may be half way through the last).</summary>
    /// <param name="text">The log.</param>
    /// <returns>The requests of its complete lines.</returns>
    public static IEnumerable<ArmCall> ParseLog(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse);
    }

    /// <summary>Reads a line of the log.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The request.</returns>
    /// <exception cref="FormatException">The line is not one the log writes.</exception>
    public static ArmCall Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split('\t');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            throw new FormatException($"not a line of the fake ARM's request log: '{line}'");
        }

        var operation = parts[1] switch
        {
            "GET" => ArmOperation.Read,
            "DELETE" => ArmOperation.Delete,
            _ => ArmOperation.Write,
        };
        return new ArmCall(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), operation);
    }
}

/// <summary>ARM's requests in one stretch of a measurement.</summary>
/// <param name="From">The stretch's start, from the measurement's.</param>
/// <param name="To">Its end.</param>
/// <param name="Reads">Reads in it.</param>
/// <param name="Writes">Writes in it.</param>
/// <param name="Deletes">Deletes in it.</param>
/// <param name="ReadsPerPodMinute">Reads per pod per minute.</param>
internal sealed record ArmStretch(TimeSpan From, TimeSpan To, long Reads, long Writes, long Deletes, double ReadsPerPodMinute);

/// <summary>
/// A token bucket of ARM's throttling: it holds <paramref name="Capacity"/> requests and gains
/// <paramref name="RefillPerSecond"/> a second; a request with the bucket empty is refused (429).
/// </summary>
/// <param name="Capacity">The bucket's size.</param>
/// <param name="RefillPerSecond">What it gains a second.</param>
internal sealed record ArmBucket(double Capacity, double RefillPerSecond)
{
    /// <summary>Reads, per principal and region (azure-facts.md): 250, and 25 a second.</summary>
    public static readonly ArmBucket Reads = new(250, 25);

    /// <summary>Writes: 200, and 10 a second.</summary>
    public static readonly ArmBucket Writes = new(200, 10);

    /// <summary>Deletes: 200, and 10 a second.</summary>
    public static readonly ArmBucket Deletes = new(200, 10);
}

/// <summary>
/// What a measurement's ARM requests say against ARM's budget: the requests by stretch (reads per pod-minute as the
/// back-off of each group's reads settles) and the lowest each throttling bucket fell to.
/// </summary>
internal static class ArmTally
{
    /// <summary>
    /// The requests of <paramref name="calls"/> from <paramref name="from"/> to <paramref name="to"/>, by stretches of
    /// <paramref name="stretch"/>: the last may be shorter, or longer by less than a tenth of a stretch.
    /// </summary>
    /// <param name="calls">The requests, in any order.</param>
    /// <param name="from">The measurement's start.</param>
    /// <param name="to">Its end.</param>
    /// <param name="stretch">How long a stretch is.</param>
    /// <param name="pods">The pods the requests are for.</param>
    /// <returns>The stretches, in order.</returns>
    public static IReadOnlyList<ArmStretch> Stretches(IEnumerable<ArmCall> calls, DateTimeOffset from, DateTimeOffset to, TimeSpan stretch, int pods)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stretch, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(pods, 1);
        var inside = calls.Where(c => c.Time >= from && c.Time < to).ToArray();
        var stretches = new List<ArmStretch>();
        var length = to - from;
        for (TimeSpan start = TimeSpan.Zero, end; start < length; start = end)
        {
            // A remainder shorter than a tenth of a stretch joins the stretch before it (a rate over seconds says nothing).
            end = start + stretch + (stretch / 10) < length ? start + stretch : length;
            var these = inside.Where(c => c.Time >= from + start && c.Time < from + end).ToArray();
            var reads = these.LongCount(c => c.Operation == ArmOperation.Read);
            stretches.Add(new ArmStretch(
                start,
                end,
                reads,
                these.LongCount(c => c.Operation == ArmOperation.Write),
                these.LongCount(c => c.Operation == ArmOperation.Delete),
                reads / (double)pods / (end - start).TotalMinutes));
        }

        return stretches;
    }

    /// <summary>
    /// The lowest <paramref name="bucket"/> falls to under the requests of <paramref name="operation"/>, full at the first:
    /// negative when ARM would have refused some (it would have answered 429 from the moment it reached zero).
    /// </summary>
    /// <param name="calls">The requests, in any order.</param>
    /// <param name="operation">The requests the bucket counts.</param>
    /// <param name="bucket">The bucket.</param>
    /// <returns>The lowest level, after a request was taken; the capacity when there was none.</returns>
    public static double LowestLevel(IEnumerable<ArmCall> calls, ArmOperation operation, ArmBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(bucket);
        var level = bucket.Capacity;
        var lowest = bucket.Capacity;
        DateTimeOffset? previous = null;
        foreach (var call in calls.Where(c => c.Operation == operation).OrderBy(c => c.Time))
        {
            if (previous is { } then)
            {
                level = Math.Min(bucket.Capacity, level + ((call.Time - then).TotalSeconds * bucket.RefillPerSecond));
            }

            level--;
            lowest = Math.Min(lowest, level);
            previous = call.Time;
        }

        return lowest;
    }
}
