using System.Diagnostics;

namespace DurableKube.Testing;

/// <summary>Stops a process the test started: SIGTERM, a grace period, then SIGKILL of its whole tree.</summary>
public static class ProcessStopper
{
    /// <summary>Stops the process.</summary>
    /// <param name="process">A process this test run started.</param>
    /// <param name="grace">How long to wait after SIGTERM.</param>
    /// <returns>A task that completes once the process has exited.</returns>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", $"{process.Id}"]) { UseShellExecute = false }))
        {
            if (term is not null)
            {
                await term.WaitForExitAsync();
            }
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
