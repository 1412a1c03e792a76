using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process;

/// <summary>A run this runtime is watching: its log is pumped and its exit is awaited (or polled for).</summary>
internal sealed class LiveRun : IDisposable
{
    private readonly CancellationTokenSource _cancellation;

    /// <summary>Initializes a new instance of the <see cref="LiveRun"/> class.</summary>
    /// <param name="id">The run.</param>
    /// <param name="paths">Its files.</param>
    /// <param name="shim">The shim, when this process started it; <see langword="null"/> for a re-adopted run.</param>
    /// <param name="cancellation">Ends the watch.</param>
    public LiveRun(ContainerRunId id, RunPaths paths, System.Diagnostics.Process? shim, CancellationTokenSource cancellation)
    {
        Id = id;
        Paths = paths;
        Shim = shim;
        _cancellation = cancellation;
    }

    /// <summary>Gets the run.</summary>
    public ContainerRunId Id { get; }

    /// <summary>Gets its files.</summary>
    public RunPaths Paths { get; }

    /// <summary>Gets the shim process, when this process is its parent.</summary>
    public System.Diagnostics.Process? Shim { get; }

    /// <summary>Gets the token that ends the watch.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets or sets the watch loop.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    /// <summary>Ends the watch (not the run).</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public void Dispose()
    {
        _cancellation.Dispose();
        Shim?.Dispose();
    }
}
