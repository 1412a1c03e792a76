namespace DurableKube.Bench;

/// <summary>A distribution's size and the percentiles the bench reports, in milliseconds.</summary>
/// <param name="Count">How many values.</param>
/// <param name="P50">The median (nearest rank).</param>
/// <param name="P99">The 99th percentile (nearest rank).</param>
internal sealed record Summary(int Count, double P50, double P99)
{
    /// <summary>Gets the summary of no values: zero everywhere.</summary>
    public static Summary Empty { get; } = new(0, 0, 0);

    /// <summary>Summarizes <paramref name="values"/>.</summary>
    /// <param name="values">The values, in any order.</param>
    /// <returns>Their count, p50 and p99.</returns>
    public static Summary Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? Empty : new(sorted.Length, Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 99));
    }
}

/// <summary>Percentiles by the nearest-rank method, as the Kubernetes SLO documents state them.</summary>
internal static class Stats
{
    /// <summary>The value at percentile <paramref name="p"/> of <paramref name="sorted"/>: the smallest value with at least p% of the values at or below it.</summary>
    /// <param name="sorted">Values in ascending order, at least one.</param>
    /// <param name="p">The percentile, in (0, 100].</param>
    /// <returns>The value at that rank.</returns>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>A rate: <paramref name="count"/> per second over <paramref name="elapsed"/> (0 when no time passed).</summary>
    /// <param name="count">How many things happened.</param>
    /// <param name="elapsed">Over how long.</param>
    /// <returns>Things per second.</returns>
    public static double PerSecond(int count, TimeSpan elapsed) => elapsed <= TimeSpan.Zero ? 0 : count / elapsed.TotalSeconds;
}
