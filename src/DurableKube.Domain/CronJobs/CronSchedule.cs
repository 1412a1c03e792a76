using System.Globalization;

namespace DurableKube.Domain.CronJobs;

/// <summary>
/// A CronJob schedule as Kubernetes reads it (robfig/cron v3 <c>ParseStandard</c>): five fields (minute, hour,
/// day of month, month, day of week) with <c>*</c>, <c>?</c>, ranges, steps, lists and month and weekday names, or a
/// macro (<c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>,
/// <c>@hourly</c>, <c>@every &lt;duration&gt;</c>), optionally after <c>TZ=</c> or <c>CRON_TZ=</c>. When both day
/// fields are restricted a day matches either (cron's rule); when one is <c>*</c> both must match.
/// </summary>
public sealed class CronSchedule
{
    private const ulong StarBit = 1UL << 63;
    private static readonly Field Minutes = new(0, 59, null);
    private static readonly Field Hours = new(0, 23, null);
    private static readonly Field Days = new(1, 31, null);
    private static readonly Field Months = new(1, 12, new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
        ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
    });

    private static readonly Field Weekdays = new(0, 6, new(StringComparer.OrdinalIgnoreCase)
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
    });

    private static readonly Dictionary<string, string> Macros = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly ulong _minute;
    private readonly ulong _hour;
    private readonly ulong _day;
    private readonly ulong _month;
    private readonly ulong _weekday;
    private readonly TimeSpan? _every;

    private CronSchedule(ulong minute, ulong hour, ulong day, ulong month, ulong weekday, TimeSpan? every, string? zone)
    {
        (_minute, _hour, _day, _month, _weekday, _every) = (minute, hour, day, month, weekday, every);
        ZoneName = zone;
    }

    /// <summary>Gets the zone a <c>TZ=</c> prefix names, if the schedule has one.</summary>
    public string? ZoneName { get; }

    /// <summary>Parses a schedule.</summary>
    /// <param name="text">The schedule.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="CronScheduleException">It does not parse; the message is the cron library's.</exception>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text;
        if (spec.Length == 0)
        {
            throw new CronScheduleException("empty spec string");
        }

        string? zone = null;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            zone = (space < 0 ? spec[(eq + 1)..] : spec[(eq + 1)..space]).Trim();
            if (TimeZones.Find(zone) is null)
            {
                throw new CronScheduleException($"provided bad location {zone}: unknown time zone {zone}");
            }

            spec = space < 0 ? string.Empty : spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            if (Macros.TryGetValue(spec, out var expanded))
            {
                spec = expanded;
            }
            else if (spec.StartsWith("@every ", StringComparison.Ordinal))
            {
                var duration = spec["@every ".Length..];
                if (!TryParseDuration(duration, out var every))
                {
                    throw new CronScheduleException($"failed to parse duration {spec}: time: invalid duration \"{duration}\"");
                }

                return new CronSchedule(0, 0, 0, 0, 0, every < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Floor(every.TotalSeconds)), zone);
            }
            else
            {
                throw new CronScheduleException($"unrecognized descriptor: {spec}");
            }
        }

        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new CronScheduleException($"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]");
        }

        return new CronSchedule(
            ParseField(fields[0], Minutes),
            ParseField(fields[1], Hours),
            ParseField(fields[2], Days),
            ParseField(fields[3], Months),
            ParseField(fields[4], Weekdays),
            null,
            zone);
    }

    /// <summary>Checks a schedule.</summary>
    /// <param name="text">The schedule.</param>
    /// <param name="error">The cron library's message when it does not parse.</param>
    /// <returns>Whether it parses.</returns>
    public static bool TryParse(string text, out string? error)
    {
        try
        {
            Parse(text);
            error = null;
            return true;
        }
        catch (CronScheduleException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// The first time the schedule fires strictly after <paramref name="after"/>, in the zone (its wall clock: a time
    /// a daylight-saving jump skips does not fire), or <see langword="null"/> if none within five years (a day that never
    /// comes, such as 30 February).
    /// </summary>
    /// <param name="after">The instant to start from.</param>
    /// <param name="zone">The zone the fields are read in.</param>
    /// <returns>The next time.</returns>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (_every is { } every)
        {
            var next = after + every;
            return new DateTimeOffset(next.UtcTicks - (next.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }

        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!Has(_month, t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
                continue;
            }

            if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
                continue;
            }

            if (!Has(_hour, t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }

            if (!Has(_minute, t.Minute))
            {
                t = t.AddMinutes(1);
                continue;
            }

            if (zone.IsInvalidTime(t))
            {
                t = t.AddMinutes(1);
                continue;
            }

            return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(t, zone), TimeSpan.Zero);
        }

        return null;
    }

    /// <summary>Reads a Go duration (<c>1h30m</c>, <c>90s</c>, <c>1.5h</c>), as <c>@every</c> takes it.</summary>
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text;
        if (rest.Length == 0)
        {
            return false;
        }

        while (rest.Length > 0)
        {
            var i = 0;
            while (i < rest.Length && (char.IsAsciiDigit(rest[i]) || rest[i] == '.'))
            {
                i++;
            }

            if (i == 0 || !double.TryParse(rest[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var j = i;
            while (j < rest.Length && !char.IsAsciiDigit(rest[j]) && rest[j] != '.')
            {
                j++;
            }

            TimeSpan unit;
            switch (rest[i..j])
            {
                case "ns": unit = TimeSpan.FromTicks(1) / 100; break;
                case "us" or "µs": unit = TimeSpan.FromMicroseconds(1); break;
                case "ms": unit = TimeSpan.FromMilliseconds(1); break;
                case "s": unit = TimeSpan.FromSeconds(1); break;
                case "m": unit = TimeSpan.FromMinutes(1); break;
                case "h": unit = TimeSpan.FromHours(1); break;
                default: return false;
            }

            duration += unit * number;
            rest = rest[j..];
        }

        return duration > TimeSpan.Zero;
    }

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    private bool DayMatches(DateTime t)
    {
        var day = Has(_day, t.Day);
        var weekday = Has(_weekday, (int)t.DayOfWeek);
        return (_day & StarBit) != 0 || (_weekday & StarBit) != 0 ? day && weekday : day || weekday;
    }

    private static ulong ParseField(string field, Field bounds)
    {
        ulong bits = 0;
        foreach (var expr in field.Split(','))
        {
            bits |= ParseRange(expr, bounds);
        }

        return bits;
    }

    private static ulong ParseRange(string expr, Field bounds)
    {
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        var single = lowAndHigh.Length == 1;
        int start, end;
        ulong extra = 0;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end, extra) = (bounds.Min, bounds.Max, StarBit);
        }
        else
        {
            start = ParseIntOrName(lowAndHigh[0], bounds.Names);
            end = lowAndHigh.Length switch
            {
                1 => start,
                2 => ParseIntOrName(lowAndHigh[1], bounds.Names),
                _ => throw new CronScheduleException($"too many hyphens: {expr}"),
            };
        }

        int step;
        switch (rangeAndStep.Length)
        {
            case 1:
                step = 1;
                break;
            case 2:
                step = ParseInt(rangeAndStep[1]);
                if (single)
                {
                    end = bounds.Max;
                }

                if (step > 1)
                {
                    extra = 0;
                }

                break;
            default:
                throw new CronScheduleException($"too many slashes: {expr}");
        }

        if (start < bounds.Min)
        {
            throw new CronScheduleException($"beginning of range ({start}) below minimum ({bounds.Min}): {expr}");
        }

        if (end > bounds.Max)
        {
            throw new CronScheduleException($"end of range ({end}) above maximum ({bounds.Max}): {expr}");
        }

        if (start > end)
        {
            throw new CronScheduleException($"beginning of range ({start}) beyond end of range ({end}): {expr}");
        }

        if (step == 0)
        {
            throw new CronScheduleException($"step of range should be a positive number: {expr}");
        }

        ulong bits = 0;
        for (var i = start; i <= end; i += step)
        {
            bits |= 1UL << i;
        }

        return bits | extra;
    }

    private static int ParseIntOrName(string text, Dictionary<string, int>? names) =>
        names is not null && names.TryGetValue(text, out var value) ? value : ParseInt(text);

    private static int ParseInt(string text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new CronScheduleException($"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax");
        }

        if (number < 0)
        {
            throw new CronScheduleException($"negative number ({number}) not allowed: {text}");
        }

        return number;
    }

    private sealed record Field(int Min, int Max, Dictionary<string, int>? Names);
}
