using System.Globalization;
using DurableKube.Domain.Serialization;

namespace DurableKube.Domain.Printing;

/// <summary>
/// A duration the way kubectl shows ages (k8s.io/apimachinery/pkg/util/duration, HumanDuration): two or three
/// significant figures, e.g. <c>45s</c>, <c>5m2s</c>, <c>47m</c>, <c>3h</c>, <c>2d3h</c>, <c>120d</c>, <c>3y</c>.
/// </summary>
public static class HumanDuration
{
    /// <summary>Formats a duration.</summary>
    /// <param name="duration">The duration; down to -1s counts as <c>0s</c> (clock skew), below is <c>&lt;invalid&gt;</c>.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration)
    {
        var seconds = duration.Ticks / TimeSpan.TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }

        var minutes = duration.Ticks / TimeSpan.TicksPerMinute;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }

        var hours = duration.Ticks / TimeSpan.TicksPerHour;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{dy}d");
        }

        return Invariant($"{hours / 24 / 365}y");
    }

    /// <summary>Formats the time from <paramref name="timestamp"/> to <paramref name="now"/>, or <c>&lt;unknown&gt;</c>
    /// without a timestamp (kubectl's AGE column).</summary>
    /// <param name="timestamp">The past moment; a <see cref="DateTimeKind.Unspecified"/> time counts as UTC.</param>
    /// <param name="now">The present.</param>
    /// <returns>The text.</returns>
    public static string Since(DateTime? timestamp, DateTimeOffset now) =>
        timestamp is { } time ? Format(now - AsUtc(time)) : "<unknown>";

    internal static DateTimeOffset AsUtc(DateTime time) =>
        KubeTime.ToInstant(time);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
