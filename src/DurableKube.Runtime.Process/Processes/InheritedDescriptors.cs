using System.Globalization;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>
/// Keeps this process's file descriptors out of the shims and containers it starts. .NET opens its own files,
/// pipes and sockets close-on-exec, but a host may have inherited descriptors that are not (a supervisor's
/// pipe, a test runner's): a container holding one could keep its reader waiting for an end of file forever.
/// </summary>
internal static class InheritedDescriptors
{
    /// <summary>Marks every descriptor above standard error close-on-exec.</summary>
    public static void MarkCloseOnExec()
    {
        if (NativeMethods.CloseRange(3, uint.MaxValue, NativeMethods.CloseRangeCloseOnExec) == 0)
        {
            return;
        }

        // Kernels before 5.11: one descriptor at a time.
        foreach (var entry in Directory.EnumerateFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd > 2)
            {
                NativeMethods.Fcntl(fd, NativeMethods.SetDescriptorFlags, NativeMethods.DescriptorCloseOnExec);
            }
        }
    }
}
