namespace DurableKube.Runtime.Process.Processes;

/// <summary>Sends POSIX signals (Linux numbering, the same on every architecture .NET runs on).</summary>
internal static class Signals
{
    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM.</summary>
    public const int Terminate = 15;

    /// <summary>Sends a signal to every process of a process group.</summary>
    /// <param name="processGroup">The group id.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>Whether any process was signalled.</returns>
    public static bool SendToGroup(int processGroup, int signal) =>
        processGroup > 1 && NativeMethods.Kill(-processGroup, signal) == 0;

    /// <summary>Sends a signal to one process.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>Whether it was signalled.</returns>
    public static bool Send(int pid, int signal) => pid > 1 && NativeMethods.Kill(pid, signal) == 0;

    /// <summary>Names a signal for logs.</summary>
    /// <param name="signal">The number.</param>
    /// <returns>The name.</returns>
    public static string Name(int signal) => signal switch
    {
        Kill => "SIGKILL",
        Terminate => "SIGTERM",
        _ => $"signal {signal}",
    };
}
