namespace DurableKube.Runtime.Process.Processes;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> the runtime needs.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="State">The state letter: R, S, D, T, Z (zombie), X (dead) ...</param>
/// <param name="ParentPid">The parent's pid.</param>
/// <param name="ProcessGroup">The process group id.</param>
/// <param name="Session">The session id.</param>
/// <param name="StartTime">When the process started, in clock ticks after boot: with the pid, it names one process for good.</param>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, int ProcessGroup, int Session, ulong StartTime)
{
    /// <summary>Gets a value indicating whether the process still runs (a zombie has ended; only its parent has not reaped it).</summary>
    public bool IsAlive => State is not ('Z' or 'X' or 'x');

    /// <summary>Gets the device number of the process's controlling terminal (<c>tty_nr</c>), 0 for none.</summary>
    public int TerminalNumber { get; init; }

    /// <summary>Gets the CPU time the process has used (<c>utime</c> + <c>stime</c>), in clock ticks.</summary>
    public ulong CpuTicks { get; init; }

    /// <summary>Gets the process's resident set (<c>rss</c>), in pages.</summary>
    public ulong RssPages { get; init; }
}
