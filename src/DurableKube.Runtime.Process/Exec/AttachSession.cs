using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Exec;

/// <summary>
/// <c>kubectl attach</c> to a process runtime container: what it writes to its stdout and stderr files from now on, and,
/// for a container started with <c>stdin: true</c>, a writer of the FIFO its shim reads its standard input from.
/// Disposing it detaches; the container runs on.
/// </summary>
internal sealed class AttachSession : IExecSession
{
    private readonly CancellationTokenSource _detached = new();
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="AttachSession"/> class.</summary>
    /// <param name="stdout">The run's stdout file.</param>
    /// <param name="stderr">The run's stderr file, or <see langword="null"/> for a container on a terminal (one stream).</param>
    /// <param name="stdin">The run's stdin FIFO, when the caller writes to it.</param>
    /// <param name="exit">Waits for the run's exit code, until cancelled.</param>
    public AttachSession(string stdout, string? stderr, string? stdin, Func<CancellationToken, Task<int>> exit)
    {
        Exited = exit(_detached.Token);
        var ended = () => Exited.IsCompleted;
        Stdout = new FollowStream(stdout, ended, _detached.Token);
        Stderr = stderr is null ? null : new FollowStream(stderr, ended, _detached.Token);

        // The shim holds the FIFO open for reading and writing, so opening it to write never blocks, and closing
        // this writer does not end the container's input.
        Stdin = stdin is null ? null : new FileStream(stdin, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    /// <inheritdoc />
    public Stream? Stdin { get; }

    /// <inheritdoc />
    public Stream Stdout { get; }

    /// <inheritdoc />
    public Stream? Stderr { get; }

    /// <inheritdoc />
    public Task<int> Exited { get; }

    /// <summary>Gets the resize of the container's terminal (returns whether it found it), or <see langword="null"/> for a container without one.</summary>
    public Func<ushort, ushort, bool>? Resize { get; init; }

    /// <inheritdoc />
    public async Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default)
    {
        // A container that has just started may not be on its terminal yet: look for it a while.
        for (var attempt = 0; Resize is not null && attempt < 50 && !Exited.IsCompleted; attempt++)
        {
            if (Resize(width, height))
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _detached.CancelAsync();
        await ((Task)Exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var stream in new[] { Stdin, Stdout, Stderr })
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        _detached.Dispose();
    }
}
