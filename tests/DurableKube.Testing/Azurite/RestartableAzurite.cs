using System.Diagnostics;

namespace DurableKube.Testing.Azurite;

/// <summary>
/// An Azurite of a fault test's own, which the test may freeze (SIGSTOP: connections are accepted by the kernel and
/// never answered, the worst case of a storage account that is away), thaw (SIGCONT), stop and start again
/// on the same ports and the same data folder, as a storage outage and its end. Started from the repository's
/// node_modules on free loopback ports; <see cref="DisposeAsync"/> stops it and deletes its data.
/// </summary>
public sealed class RestartableAzurite : IAsyncDisposable
{
    private readonly int _blob = FreePort.Next();
    private readonly int _queue = FreePort.Next();
    private readonly int _table = FreePort.Next();
    private readonly string _data = Directory.CreateTempSubdirectory("durablekube-fault-azurite-").FullName;
    private Process? _process;

    /// <summary>Gets the connection string of the account (it stays the same across restarts).</summary>
    public string ConnectionString => AzuriteProcess.ConnectionString(_blob, _queue, _table);

    /// <summary>Gets a value indicating whether Azurite runs now (frozen counts as running).</summary>
    public bool Running => _process is { HasExited: false };

    /// <summary>Starts Azurite (again) on its ports and data folder, and waits until all three services listen.</summary>
    /// <returns>A task that completes once it listens.</returns>
    public async Task StartAsync()
    {
        if (Running)
        {
            return;
        }

        var executable = AzuriteProcess.Executable
            ?? throw new InvalidOperationException("The fault tests start an Azurite of their own: run 'npm ci' in the repository (scripts/test.sh does).");
        _process?.Dispose();
        _process = await AzuriteProcess.StartAsync(executable, _data, _blob, _queue, _table, TimeSpan.FromSeconds(90));
    }

    /// <summary>Freezes Azurite with SIGSTOP: it keeps its ports, and nothing it is asked is answered.</summary>
    /// <returns>A task that completes once the signal is sent.</returns>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>Thaws a frozen Azurite with SIGCONT.</summary>
    /// <returns>A task that completes once the signal is sent.</returns>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>
    /// Stops Azurite as an outage: SIGTERM (it closes its listeners and saves its data), then SIGKILL if it lingers
    /// past 30 s; waits until its ports are free. Not SIGKILL at once: Azurite keeps its tables and queues in memory and
    /// saves them now and then, so a SIGKILL loses writes it had acknowledged, which Azure Storage never does.
    /// </summary>
    /// <returns>A task that completes once it is gone.</returns>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        await ProcessStopper.StopAsync(process, TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await AzuriteProcess.IsListeningAsync(_table) || await AzuriteProcess.IsListeningAsync(_queue) || await AzuriteProcess.IsListeningAsync(_blob)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await SignalAsync("CONT");
            await ProcessStopper.StopAsync(process, TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", $"{process.Id}"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
    }
}
