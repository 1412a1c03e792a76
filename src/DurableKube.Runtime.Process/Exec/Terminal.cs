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
        if (device is null)
        {
            return false;
        }

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
