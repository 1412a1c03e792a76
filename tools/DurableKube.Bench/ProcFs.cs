using System.Globalization;

namespace DurableKube.Bench;

/// <summary>Reads what Linux says about a process: peak resident memory and CPU time.</summary>
internal static class ProcFs
{
    /// <summary>The <c>VmHWM</c> (peak resident set) of a <c>/proc/PID/status</c> text, in bytes; null when absent.</summary>
    /// <param name="status">The text of <c>/proc/PID/status</c>.</param>
    /// <returns>Bytes, or null.</returns>
    public static long? PeakResidentBytes(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["VmHWM:".Length..].Split(' ', '\t').Where(p => p.Length > 0).ToArray();
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }

            throw new FormatException($"Unexpected VmHWM line: {line}");
        }

        return null;
    }

    /// <summary>The user plus system CPU seconds of a <c>/proc/PID/stat</c> line (fields 14 and 15, in clock ticks).</summary>
    /// <param name="stat">The text of <c>/proc/PID/stat</c>.</param>
    /// <param name="ticksPerSecond">The clock ticks per second (<c>getconf CLK_TCK</c>, 100 on Linux).</param>
    /// <returns>CPU seconds.</returns>
    public static double CpuSeconds(string stat, int ticksPerSecond = 100)
    {
        ArgumentNullException.ThrowIfNull(stat);
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses: count from the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("No command name in the stat line.");
        }

        var rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // rest[0] is field 3 (state), so field k is rest[k - 3].
        if (rest.Length < 13
            || !long.TryParse(rest[14 - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(rest[15 - 3], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            throw new FormatException("The stat line has no utime and stime.");
        }

        return (user + system) / (double)ticksPerSecond;
    }

    /// <summary>The one-minute load average of <c>/proc/loadavg</c> (its first field), as text.</summary>
    /// <param name="loadavg">The file's text; empty when there is none.</param>
    /// <returns>The load, or <c>?</c> when the text has none.</returns>
    public static string LoadAverage(string loadavg)
    {
        ArgumentNullException.ThrowIfNull(loadavg);
        var first = loadavg.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is not null && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? first : "?";
    }
}
