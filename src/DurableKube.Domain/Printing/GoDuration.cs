using System.Globalization;
using System.Text;

namespace DurableKube.Domain.Printing;

/// <summary>
/// A duration the way Go's <c>time.Duration.String()</c> writes it, e.g. <c>10s</c>, <c>1m20s</c>, <c>5m0s</c>,
/// <c>1h0m0s</c>, <c>1.5s</c>, <c>300ms</c>, <c>0s</c>. The kubelet's messages use it
/// (<c>back-off 5m0s restarting failed container=...</c>).
/// </summary>
public static class GoDuration
{
    private const long NanosPerMicro = 1_000;
    private const long NanosPerMilli = 1_000_000;
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>Formats a duration (to the 100 ns precision of <see cref="TimeSpan"/>).</summary>
    /// <param name="duration">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan duration)
    {
        var negative = duration < TimeSpan.Zero;
        var nanos = (ulong)Math.Abs((decimal)duration.Ticks * 100);
        var text = new StringBuilder();
        if (negative)
        {
            text.Append('-');
        }

        if (nanos < NanosPerSecond)
        {
            // Below a second: one unit with a fraction, as in 1.5ms or 300ns.
            return nanos switch
            {
                0 => "0s",
                < NanosPerMicro => text.Append(nanos.ToString(CultureInfo.InvariantCulture)).Append("ns").ToString(),
                < NanosPerMilli => AppendFraction(text, nanos, NanosPerMicro).Append("µs").ToString(),
                _ => AppendFraction(text, nanos, NanosPerMilli).Append("ms").ToString(),
            };
        }

        var totalSeconds = nanos / NanosPerSecond;
        var hours = totalSeconds / 3600;
        var minutes = totalSeconds / 60 % 60;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return AppendFraction(text, nanos % (60 * NanosPerSecond), NanosPerSecond).Append('s').ToString();
    }

    private static StringBuilder AppendFraction(StringBuilder text, ulong value, long unit)
    {
        var whole = value / (ulong)unit;
        var fraction = value % (ulong)unit;
        text.Append(whole.ToString(CultureInfo.InvariantCulture));
        if (fraction != 0)
        {
            var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
            text.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0'));
        }

        return text;
    }
}
