using System.Runtime.InteropServices;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>The libc calls .NET has no managed form of.</summary>
internal static partial class NativeMethods
{
    /// <summary>kill(2): a negative pid names a process group.</summary>
    /// <param name="pid">The process, or minus the process group.</param>
    /// <param name="signal">The signal number.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Kill(int pid, int signal);
}
