using System.Globalization;
using System.Runtime.Versioning;
using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.Exec;

/// <summary>
/// The pseudo-terminal util-linux <c>script</c> makes for a command: found through the command's standard input
/// (<c>/proc/&lt;pid&gt;/fd/0</c>, a <c>/dev/pts/N</c>) and resized with <c>TIOCSWINSZ</c>, which also sends SIGWINCH
/// to the terminal's foreground process group, as a terminal emulator's resize does.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class Terminal
{
    /// <summary>Resizes the terminal of the command that <c>script</c> (pid <paramref name="scriptPid"/>) runs.</summary>
    /// <param name="scriptPid">The pid of <c>script</c>.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <returns>Whether a terminal was found and resized.</returns>
    public static bool Resize(int scriptPid, ushort width, ushort height)
    {
        var device = FindTerminal(scriptPid);
        return device is not null && ResizeDevice(device, width, height);
    }

    /// <summary>Resizes a process's controlling terminal (a container with <c>tty: true</c>: the one script made for it).</summary>
    /// <param name="pid">The process, which must be on a pseudo-terminal.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <returns>Whether a terminal was found and resized.</returns>
    public static bool ResizeControlling(int pid, ushort width, ushort height) =>
        ProcFs.ReadStat(pid) is { TerminalNumber: var number } && PseudoTerminal(number) is { } device && ResizeDevice(device, width, height);

    /// <summary>The <c>/dev/pts/N</c> a <c>tty_nr</c> of <c>/proc/&lt;pid&gt;/stat</c> names (Unix 98 pseudo-terminals: majors 136 to 143), if it names one.</summary>
    /// <param name="number">The device number.</param>
    /// <returns>The device, or <see langword="null"/>.</returns>
    internal static string? PseudoTerminal(int number)
    {
        var major = (number >> 8) & 0xfff;
        var minor = (number & 0xff) | ((number >> 12) & 0xfff00);
        return major is >= 136 and <= 143
            ? string.Create(CultureInfo.InvariantCulture, $"/dev/pts/{((major - 136) * 256) + minor}")
            : null;
    }

    private static bool ResizeDevice(string device, ushort width, ushort height)
    {
        var fd = NativeMethods.Open(device, NativeMethods.OpenReadWrite | NativeMethods.OpenNoControllingTerminal | NativeMethods.OpenCloseOnExec);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            var size = new NativeMethods.WindowSize { Rows = height, Columns = width };
            return NativeMethods.IoctlWindowSize(fd, NativeMethods.SetWindowSize, ref size) == 0;
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>Finds the <c>/dev/pts/N</c> that script's child has as its standard input.</summary>
    /// <param name="scriptPid">The pid of <c>script</c>.</param>
    /// <returns>The device, or <see langword="null"/>.</returns>
    public static string? FindTerminal(int scriptPid)
    {
        foreach (var process in ProcFs.EnumerateAll())
        {
            if (process.ParentPid != scriptPid || !process.IsAlive)
            {
                continue;
            }

            try
            {
                var target = new FileInfo(string.Create(CultureInfo.InvariantCulture, $"/proc/{process.Pid}/fd/0")).LinkTarget;
                if (target is not null && target.StartsWith("/dev/pts/", StringComparison.Ordinal))
                {
                    return target;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile.
            }
        }

        return null;
    }
}
