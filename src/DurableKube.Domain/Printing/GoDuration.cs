using System.Globalization;
using System.Text;

namespace DurableKube.Domain.Printing;

/// <summary>Formats durations the way Go's <c>time.Duration.String()</c> does (<c>10s</c>, <c>1m20s</c>, <c>5m0s</c>, <c>1.5s</c>, <c>300ms</c>), as Kubernetes messages show them.</summary>
public static class GoDuration
{
    /// <summary>Formats a duration.</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text Go would print.</returns>
    public static string Format(TimeSpan duration)
    {
        // Go prints whole units down to nanoseconds; .NET ticks are 100 ns.
        var ns = duration.Ticks * 100;
        if (ns == 0)
        {
            return "0s";
        }

        var sign = ns < 0 ? "-" : string.Empty;
        var abs = (ulong)Math.Abs(ns);
        if (abs < 1_000_000_000UL)
        {
            // Below one second Go picks the largest unit that keeps the integer part non-zero.
            var (unit, scale) = abs switch
            {
                < 1_000UL => ("ns", 1UL),
                < 1_000_000UL => ("µs", 1_000UL),
                _ => ("ms", 1_000_000UL),
            };
            return sign + Fraction(abs, scale) + unit;
        }

        var builder = new StringBuilder(sign);
        var hours = abs / 3_600_000_000_000UL;
        var rest = abs % 3_600_000_000_000UL;
        var minutes = rest / 60_000_000_000UL;
        var seconds = rest % 60_000_000_000UL;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        builder.Append(Fraction(seconds, 1_000_000_000UL)).Append('s');
        return builder.ToString();
    }

    private static string Fraction(ulong value, ulong scale)
    {
        var whole = value / scale;
        var fraction = value % scale;
        if (fraction == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        var text = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + text;
    }
}
