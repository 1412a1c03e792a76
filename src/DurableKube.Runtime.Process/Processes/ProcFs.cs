using System.Globalization;
using System.Text;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>Reads processes from Linux's <c>/proc</c>.</summary>
internal static class ProcFs
{
    /// <summary>Reads one process's stat line.</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>The fields, or <see langword="null"/> if there is no such process.</returns>
    public static ProcStat? ReadStat(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            return ParseStat(pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses a stat line. The command name (field 2) may hold spaces and parentheses, so fields are counted from the last ')'.</summary>
    /// <param name="pid">The process id the line was read for.</param>
    /// <param name="text">The line.</param>
    /// <returns>The fields, or <see langword="null"/> if the line is not a stat line.</returns>
    public static ProcStat? ParseStat(int pid, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        // After ") ": state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9) minflt(10) cminflt(11) majflt(12)
        // cmajflt(13) utime(14) stime(15) cutime(16) cstime(17) priority(18) nice(19) threads(20) itreal(21) starttime(22).
        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        var usage = DurableKube.Domain.Metrics.UsageFigures.ParseProcessStat(text);
        return new ProcStat(pid, fields[0][0], parent, group, session, start)
        {
            CpuTicks = usage?.CpuTicks ?? 0,
            RssPages = usage?.RssPages ?? 0,
            TerminalNumber = int.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var terminal) ? terminal : 0,
        };
    }

    /// <summary>Reads a process's arguments.</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>The arguments, or <see langword="null"/> if there is no such process.</returns>
    public static IReadOnlyList<string>? ReadCommandLine(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        try
        {
            var bytes = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            var text = Encoding.UTF8.GetString(bytes);
            return text.TrimEnd('\0').Split('\0');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads every process the caller may see.</summary>
    /// <returns>The processes; ones that end during the scan are left out.</returns>
    public static IEnumerable<ProcStat> EnumerateAll()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ReadStat(pid) is { } stat)
            {
                yield return stat;
            }
        }
    }
}
