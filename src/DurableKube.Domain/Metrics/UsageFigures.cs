using System.Globalization;
using System.Text;

namespace DurableKube.Domain.Metrics;

/// <summary>
/// The arithmetic and text of the metrics API (<c>metrics.k8s.io</c>): CPU rates from two cumulative samples, the
/// figures Linux gives in <c>/proc</c> and Docker in its stats, and quantities, windows and times written as the
/// metrics-server writes them.
/// </summary>
public static class UsageFigures
{
    private const ulong NanosecondsPerSecond = 1_000_000_000;

    /// <summary>The CPU rate between two cumulative samples, in nanocores (CPU-nanoseconds per second).</summary>
    /// <param name="earlierCpuNanoseconds">The CPU time used up to the earlier sample.</param>
    /// <param name="earlierTime">When the earlier sample was taken.</param>
    /// <param name="laterCpuNanoseconds">The CPU time used up to the later sample.</param>
    /// <param name="laterTime">When the later sample was taken.</param>
    /// <returns>The rate, or <see langword="null"/> when the window is empty or the counter went back (a restarted container).</returns>
    public static ulong? NanoCores(ulong earlierCpuNanoseconds, DateTimeOffset earlierTime, ulong laterCpuNanoseconds, DateTimeOffset laterTime)
    {
        var window = laterTime - earlierTime;
        if (window <= TimeSpan.Zero || laterCpuNanoseconds < earlierCpuNanoseconds)
        {
            return null;
        }

        var used = (decimal)(laterCpuNanoseconds - earlierCpuNanoseconds);
        return (ulong)decimal.Round(used * TimeSpan.TicksPerSecond / window.Ticks, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Reads a process's CPU time (<c>utime</c> + <c>stime</c>, in clock ticks) and resident set (<c>rss</c>, in pages)
    /// from its <c>/proc/&lt;pid&gt;/stat</c> line; the command name may hold spaces and parentheses, so fields are
    /// counted from the last ')'.
    /// </summary>
    /// <param name="stat">The stat line.</param>
    /// <returns>The figures, or <see langword="null"/> if the text is not a stat line.</returns>
    public static (ulong CpuTicks, ulong RssPages)? ParseProcessStat(string? stat)
    {
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        // After ") ": state(3) ... utime(14) stime(15) ... rss(24): indexes 11, 12 and 21.
        var fields = stat[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 22
            || !ulong.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !ulong.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            || !long.TryParse(fields[21], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rss))
        {
            return null;
        }

        return (user + system, (ulong)Math.Max(0, rss));
    }

    /// <summary>
    /// Reads the machine's busy CPU time from the <c>cpu</c> line of <c>/proc/stat</c>, in clock ticks: every field but
    /// <c>idle</c> and <c>iowait</c> (user, nice, system, irq, softirq, steal; guest time is already in user and nice).
    /// </summary>
    /// <param name="procStat">The text of <c>/proc/stat</c>.</param>
    /// <returns>The busy ticks, or <see langword="null"/> if there is no cpu line.</returns>
    public static ulong? ParseHostBusyTicks(string? procStat)
    {
        foreach (var line in (procStat ?? string.Empty).Split('\n'))
        {
            if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
            {
                return null;
            }

            ulong busy = 0;
            for (var i = 0; i < Math.Min(fields.Length, 8); i++)
            {
                if (!ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }

                if (i is not (3 or 4))
                {
                    busy += value;
                }
            }

            return busy;
        }

        return null;
    }

    /// <summary>
    /// The machine's memory working set from <c>/proc/meminfo</c>, as the kubelet counts a node's: what is in use
    /// (<c>MemTotal - MemFree</c>) less the inactive file cache the kernel can take back (<c>Inactive(file)</c>).
    /// </summary>
    /// <param name="meminfo">The text of <c>/proc/meminfo</c>.</param>
    /// <returns>The working set in bytes, or <see langword="null"/> if MemTotal or MemFree is missing.</returns>
    public static ulong? ParseHostWorkingSetBytes(string? meminfo)
    {
        ulong? total = null, free = null, inactiveFile = null;
        foreach (var line in (meminfo ?? string.Empty).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var number = line[(colon + 1)..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim();
            if (!ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes))
            {
                continue;
            }

            switch (line[..colon])
            {
                case "MemTotal":
                    total = kibibytes * 1024;
                    break;
                case "MemFree":
                    free = kibibytes * 1024;
                    break;
                case "Inactive(file)":
                    inactiveFile = kibibytes * 1024;
                    break;
            }
        }

        if (total is not { } t || free is not { } f)
        {
            return null;
        }

        var used = t > f ? t - f : 0;
        var inactive = inactiveFile ?? 0;
        return used > inactive ? used - inactive : 0;
    }

    /// <summary>
    /// A container's memory working set from Docker's stats, as the kubelet (cAdvisor) counts it: usage less the
    /// inactive file cache (<c>inactive_file</c> on cgroup v2, <c>total_inactive_file</c> on cgroup v1).
    /// </summary>
    /// <param name="usage">The stats' <c>memory_stats.usage</c>.</param>
    /// <param name="stats">The stats' <c>memory_stats.stats</c>.</param>
    /// <returns>The working set in bytes.</returns>
    public static ulong DockerWorkingSetBytes(ulong usage, IReadOnlyDictionary<string, ulong>? stats)
    {
        ulong inactive = 0;
        if (stats is not null && (stats.TryGetValue("inactive_file", out var v2) || stats.TryGetValue("total_inactive_file", out v2)))
        {
            inactive = v2;
        }

        return usage > inactive ? usage - inactive : 0;
    }

    /// <summary>Converts clock ticks (<c>USER_HZ</c>) to nanoseconds.</summary>
    /// <param name="ticks">The ticks.</param>
    /// <param name="ticksPerSecond">The clock's ticks per second (<c>sysconf(_SC_CLK_TCK)</c>, 100 on Linux).</param>
    /// <returns>The nanoseconds.</returns>
    public static ulong TicksToNanoseconds(ulong ticks, long ticksPerSecond) =>
        ticksPerSecond <= 0 ? 0 : ticks * (NanosecondsPerSecond / (ulong)ticksPerSecond);

    /// <summary>
    /// Writes a CPU figure as the metrics-server does (<c>resource.NewScaledQuantity(nanocores, resource.Nano)</c> in
    /// canonical form): the largest of n, u, m, none, k whose number is whole, e.g. <c>2113046n</c>, <c>12m</c>, <c>1</c>.
    /// </summary>
    /// <param name="nanoCores">The rate in nanocores.</param>
    /// <returns>The quantity.</returns>
    public static string FormatCpu(ulong nanoCores)
    {
        if (nanoCores == 0)
        {
            return "0";
        }

        string[] suffixes = ["n", "u", "m", string.Empty, "k", "M", "G"];
        var value = nanoCores;
        var index = 0;
        while (value % 1000 == 0 && index < suffixes.Length - 1)
        {
            value /= 1000;
            index++;
        }

        return value.ToString(CultureInfo.InvariantCulture) + suffixes[index];
    }

    /// <summary>
    /// Writes a memory figure as the metrics-server does (<c>resource.NewQuantity(bytes, resource.BinarySI)</c> in
    /// canonical form): the largest of none, Ki, Mi, Gi, Ti whose number is whole, e.g. <c>3456Ki</c>, <c>12Mi</c>.
    /// </summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The quantity.</returns>
    public static string FormatMemory(ulong bytes)
    {
        if (bytes == 0)
        {
            return "0";
        }

        string[] suffixes = [string.Empty, "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var value = bytes;
        var index = 0;
        while (value % 1024 == 0 && index < suffixes.Length - 1)
        {
            value /= 1024;
            index++;
        }

        return value.ToString(CultureInfo.InvariantCulture) + suffixes[index];
    }

    /// <summary>Writes a window as Go's <c>time.Duration.String</c> does (the metrics-server's <c>window</c>), e.g. <c>10.5s</c>, <c>1m0.25s</c>, <c>750ms</c>.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The text.</returns>
    public static string FormatWindow(TimeSpan window)
    {
        var nanoseconds = window.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (nanoseconds < 0)
        {
            text.Append('-');
            nanoseconds = -nanoseconds;
        }

        if (nanoseconds < (long)NanosecondsPerSecond)
        {
            var (unit, scale) = nanoseconds switch
            {
                < 1_000 => ("ns", 1L),
                < 1_000_000 => ("µs", 1_000L),
                _ => ("ms", 1_000_000L),
            };
            return text.Append(Fraction(nanoseconds, scale)).Append(unit).ToString();
        }

        var hours = nanoseconds / (3600 * (long)NanosecondsPerSecond);
        nanoseconds -= hours * 3600 * (long)NanosecondsPerSecond;
        var minutes = nanoseconds / (60 * (long)NanosecondsPerSecond);
        nanoseconds -= minutes * 60 * (long)NanosecondsPerSecond;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Fraction(nanoseconds, (long)NanosecondsPerSecond)).Append('s').ToString();
    }

    /// <summary>Writes a time as <c>metav1.Time</c> does: RFC 3339 in UTC, to the second.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Fraction(long value, long scale)
    {
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var rest = value % scale;
        if (rest == 0)
        {
            return whole;
        }

        var digits = scale.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
