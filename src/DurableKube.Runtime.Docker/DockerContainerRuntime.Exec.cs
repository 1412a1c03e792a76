using System.IO.Pipelines;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>Exec and attach through the engine's exec and attach endpoints.</summary>
public sealed partial class DockerContainerRuntime
{
    /// <inheritdoc />
    public async Task<IExecSession> ExecAsync(ContainerRunId id, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = await RunningContainerAsync(id, cancellationToken);
        try
        {
            var exec = await _client.Exec.ExecCreateContainerAsync(
                name,
                new ContainerExecCreateParameters
                {
                    Cmd = [.. spec.Command],
                    AttachStdin = spec.Stdin,
                    AttachStdout = true,
                    AttachStderr = true,
                    Tty = spec.Tty,
                },
                cancellationToken);
            var stream = await _client.Exec.StartAndAttachContainerExecAsync(exec.ID, spec.Tty, cancellationToken);
            return new DockerExecSession(
                stream,
                spec.Stdin,
                spec.Tty,
                async () => (int)(await _client.Exec.InspectContainerExecAsync(exec.ID, CancellationToken.None)).ExitCode,
                (width, height, ct) => ResizeAsync(exec.ID, width, height, ct));
        }
        catch (DockerApiException e)
        {
            throw new ContainerRuntimeException($"exec in container {id} failed: {DockerErrors.Message(e)}", transient: false, e);
        }
    }

    /// <inheritdoc />
    public async Task<IExecSession> AttachAsync(ContainerRunId id, bool stdin, CancellationToken cancellationToken = default)
    {
        var name = await RunningContainerAsync(id, cancellationToken);

        // A container created with Tty has one stream, its terminal's (not multiplexed), and its terminal is resized.
        var tty = (await InspectAsync(name, cancellationToken))?.Config?.Tty == true;
        try
        {
            var stream = await _client.Containers.AttachContainerAsync(
                name, tty, new ContainerAttachParameters { Stream = true, Stdin = stdin, Stdout = true, Stderr = true }, cancellationToken);
            return new DockerExecSession(
                stream,
                stdin,
                tty,
                async () => (int)(await _client.Containers.WaitContainerAsync(name, CancellationToken.None)).StatusCode,
                tty ? (width, height, token) => ResizeContainerAsync(name, width, height, token) : (_, _, _) => Task.CompletedTask);
        }
        catch (DockerApiException e)
        {
            throw new ContainerRuntimeException($"attach to container {id} failed: {DockerErrors.Message(e)}", transient: false, e);
        }
    }

    private async Task ResizeAsync(string execId, ushort width, ushort height, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Exec.ResizeContainerExecTtyAsync(execId, new ContainerResizeParameters { Width = width, Height = height }, cancellationToken);
        }
        catch (DockerApiException)
        {
            // The command has ended (or has no terminal): there is nothing to resize.
        }
    }

    private async Task ResizeContainerAsync(string name, ushort width, ushort height, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.ResizeContainerTtyAsync(name, new ContainerResizeParameters { Width = width, Height = height }, cancellationToken);
        }
        catch (DockerApiException)
        {
            // The container has ended: there is nothing to resize.
        }
    }

    private async Task<string> RunningContainerAsync(ContainerRunId id, CancellationToken cancellationToken)
    {
        var name = DockerLabels.RunName(id);
        var container = await InspectAsync(name, cancellationToken);
        if (container is null || !container.State.Running)
        {
            throw new ContainerRuntimeException($"container {id} is not running", transient: false);
        }

        return name;
    }
}

/// <summary>An exec or attach over the engine's multiplexed stream: output split into standard output and error.</summary>
internal sealed class DockerExecSession : IExecSession
{
    private readonly MultiplexedStream _stream;
    private readonly Pipe _stdout = new();
    private readonly Pipe? _stderr;
    private readonly Func<Task<int>> _exitCode;
    private readonly Func<ushort, ushort, CancellationToken, Task> _resize;
    private readonly CancellationTokenSource _end = new();
    private readonly Task _pump;

    /// <summary>Initializes a new instance of the <see cref="DockerExecSession"/> class.</summary>
    /// <param name="stream">The engine's stream.</param>
    /// <param name="stdin">Whether the caller writes standard input.</param>
    /// <param name="tty">Whether the command has a terminal (one output stream).</param>
    /// <param name="exitCode">Reads the exit code once the output ends.</param>
    /// <param name="resize">Resizes the terminal.</param>
    public DockerExecSession(MultiplexedStream stream, bool stdin, bool tty, Func<Task<int>> exitCode, Func<ushort, ushort, CancellationToken, Task> resize)
    {
        _stream = stream;
        _stderr = tty ? null : new Pipe();
        _exitCode = exitCode;
        _resize = resize;
        Stdin = stdin ? new StdinStream(stream) : null;
        Stdout = _stdout.Reader.AsStream();
        Stderr = _stderr?.Reader.AsStream();
        _pump = PumpAsync();
        Exited = ExitAsync();
    }

    /// <inheritdoc />
    public Stream? Stdin { get; }

    /// <inheritdoc />
    public Stream Stdout { get; }

    /// <inheritdoc />
    public Stream? Stderr { get; }

    /// <inheritdoc />
    public Task<int> Exited { get; }

    /// <inheritdoc />
    public Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default) => _resize(width, height, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _end.CancelAsync();
        _stream.Dispose();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Ended by the dispose.
        }

        _end.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadOutputAsync(buffer, 0, buffer.Length, _end.Token);
                if (read.EOF)
                {
                    break;
                }

                var target = read.Target == MultiplexedStream.TargetStream.StandardError && _stderr is not null ? _stderr : _stdout;
                await target.Writer.WriteAsync(buffer.AsMemory(0, read.Count), _end.Token);
            }
        }
        finally
        {
            await _stdout.Writer.CompleteAsync();
            if (_stderr is not null)
            {
                await _stderr.Writer.CompleteAsync();
            }
        }
    }

    private async Task<int> ExitAsync()
    {
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The stream ended early; the engine still knows the exit code.
        }

        return await _exitCode();
    }

    /// <summary>Writes to the command's standard input; disposing it closes the input (end of file).</summary>
    private sealed class StdinStream(MultiplexedStream stream) : Stream
    {
        private bool _closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => stream.WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            stream.WriteAsync(buffer, offset, count, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await stream.WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                stream.CloseWrite();
            }

            base.Dispose(disposing);
        }
    }
}
