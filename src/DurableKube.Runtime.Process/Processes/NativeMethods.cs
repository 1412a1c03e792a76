using System.Runtime.InteropServices;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>The libc calls .NET has no managed form of.</summary>
internal static partial class NativeMethods
{
    /// <summary>mount(2).</summary>
    /// <param name="source">The source (<c>tmpfs</c>).</param>
    /// <param name="target">The mount point.</param>
    /// <param name="fileSystemType">The file system type.</param>
    /// <param name="flags">The mount flags.</param>
    /// <param name="data">File-system options (<c>size=...,mode=...</c>).</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Mount(string source, string target, string fileSystemType, nuint flags, string? data);

    /// <summary>umount2(2).</summary>
    /// <param name="target">The mount point.</param>
    /// <param name="flags">Flags (<see cref="DetachMount"/>).</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Unmount(string target, int flags);

    /// <summary>umount2's MNT_DETACH: detach now, free once no longer busy.</summary>
    internal const int DetachMount = 2;

    /// <summary>realpath(3) with a null buffer: the result is allocated by libc and must be freed with <see cref="Free"/>.</summary>
    /// <param name="path">The path.</param>
    /// <param name="resolved">Must be zero.</param>
    /// <returns>The resolved path, or zero with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial nint RealPath(string path, nint resolved);

    /// <summary>free(3).</summary>
    /// <param name="pointer">What libc allocated.</param>
    [LibraryImport("libc", EntryPoint = "free")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial void Free(nint pointer);

    /// <summary>Resolves every symbolic link and <c>..</c> of an existing path (realpath(3)).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The canonical path, or <see langword="null"/> if it does not exist.</returns>
    internal static string? Canonical(string path)
    {
        var resolved = RealPath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>rename(2): replaces the destination atomically (.NET's File.Move refuses a link to a folder).</summary>
    /// <param name="from">The old path.</param>
    /// <param name="to">The new path.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Rename(string from, string to);

    /// <summary>Reads a system limit (sysconf(3)).</summary>
    /// <param name="name">The limit, e.g. <see cref="ClockTicksName"/>.</param>
    /// <returns>Its value, or -1.</returns>
    [LibraryImport("libc", EntryPoint = "sysconf")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial long SysConf(int name);

    /// <summary>sysconf's <c>_SC_CLK_TCK</c> on Linux: the clock ticks per second /proc counts CPU time in.</summary>
    internal const int ClockTicksName = 2;

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

    /// <summary>open(2).</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">The flags.</param>
    /// <returns>The descriptor, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Open(string path, int flags);

    /// <summary>mkfifo(3).</summary>
    /// <param name="path">The FIFO's path.</param>
    /// <param name="mode">Its permissions.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int MakeFifo(string path, uint mode);

    /// <summary>close(2).</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int Close(int fd);

    /// <summary>ioctl(2) with a <c>struct winsize</c> argument (TIOCSWINSZ, TIOCGWINSZ).</summary>
    /// <param name="fd">The terminal.</param>
    /// <param name="request">The request.</param>
    /// <param name="size">The size.</param>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static partial int IoctlWindowSize(int fd, nuint request, ref WindowSize size);

    /// <summary>O_RDWR.</summary>
    internal const int OpenReadWrite = 2;

    /// <summary>O_NOCTTY: opening a terminal does not make it this process's controlling terminal.</summary>
    internal const int OpenNoControllingTerminal = 0x100;

    /// <summary>O_CLOEXEC.</summary>
    internal const int OpenCloseOnExec = 0x80000;

    /// <summary>TIOCSWINSZ (Linux, x86 and arm).</summary>
    internal const nuint SetWindowSize = 0x5414;

    /// <summary>TIOCGWINSZ (Linux, x86 and arm).</summary>
    internal const nuint GetWindowSize = 0x5413;

    /// <summary><c>struct winsize</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct WindowSize
    {
        /// <summary>Rows.</summary>
        public ushort Rows;

        /// <summary>Columns.</summary>
        public ushort Columns;

        /// <summary>Width in pixels (unused).</summary>
        public ushort XPixels;

        /// <summary>Height in pixels (unused).</summary>
        public ushort YPixels;
    }
}
