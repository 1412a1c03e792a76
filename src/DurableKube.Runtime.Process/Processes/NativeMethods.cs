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

    /// <summary>close_range(2) (Linux 5.11, glibc 2.34): with <see cref="CloseRangeCloseOnExec"/>, marks descriptors close-on-exec.</summary>
    /// <param name="first">The first descriptor.</param>
    /// <param name="last">The last descriptor.</param>
    /// <param name="flags">The flags.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int CloseRange(uint first, uint last, int flags);

    /// <summary>fcntl(2) with an int argument (the fallback where close_range is missing).</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="command">The command.</param>
    /// <param name="argument">The argument.</param>
    /// <returns>The result, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Fcntl(int fd, int command, int argument);

    /// <summary>CLOSE_RANGE_CLOEXEC.</summary>
    internal const int CloseRangeCloseOnExec = 1 << 2;

    /// <summary>F_SETFD.</summary>
    internal const int SetDescriptorFlags = 2;

    /// <summary>FD_CLOEXEC.</summary>
    internal const int DescriptorCloseOnExec = 1;
}
