namespace DurableKube.Ports.Runtime;

/// <summary>
/// A command running inside a container (<see cref="IContainerRuntime.ExecAsync"/>): its streams and its end.
/// Disposing it ends the command if it still runs.
/// </summary>
public interface IExecSession : IAsyncDisposable
{
    /// <summary>Gets the command's standard input, or <see langword="null"/> unless <see cref="ExecSpec.Stdin"/> was asked; closing it sends end of file.</summary>
    Stream? Stdin { get; }

    /// <summary>Gets the command's standard output (with a terminal, everything it writes).</summary>
    Stream Stdout { get; }

    /// <summary>Gets the command's standard error, or <see langword="null"/> on a terminal.</summary>
    Stream? Stderr { get; }

    /// <summary>Gets the command's exit code, once it has ended.</summary>
    Task<int> Exited { get; }

    /// <summary>Resizes the command's terminal; does nothing without one.</summary>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once resized.</returns>
    Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default);
}
