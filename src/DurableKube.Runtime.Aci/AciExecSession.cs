using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Aci;

/// <summary>
/// A command ACI runs in a container, over the WebSocket ARM handed out for it. ACI runs every command on a terminal of
/// the size asked for at the start: the socket carries what the terminal shows one way and what is typed the other,
/// as UTF-8 text; there is no separate standard error, no resize and no exit code.
/// </summary>
internal sealed class AciExecSession : IExecSession
{
    /// <summary>What is sent for the end of standard input: the terminal's end-of-file character (Ctrl-D).</summary>
    private const string EndOfTransmission = "\u0004";

    private readonly WebSocket _socket;
    private readonly Pipe _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _receiving;

    /// <summary>Initializes a new instance of the <see cref="AciExecSession"/> class and starts reading the session.</summary>
    /// <param name="socket">The connected socket, its password already sent.</param>
    /// <param name="stdin">Whether the caller writes to the command's input.</param>
    public AciExecSession(WebSocket socket, bool stdin)
    {
        _socket = socket;
        Stdout = _output.Reader.AsStream();
        Stdin = stdin ? new InputStream(this) : null;
        _receiving = ReceiveAsync();
    }

    /// <inheritdoc />
    public Stream? Stdin { get; }

    /// <inheritdoc />
    public Stream Stdout { get; }

    /// <inheritdoc />
    /// <remarks>Always <see langword="null"/>: the command runs on a terminal, which carries both streams.</remarks>
    public Stream? Stderr => null;

    /// <inheritdoc />
    /// <remarks>
    /// ACI does not report how the command ended: a session ACI closes ends with 0; one that breaks fails with a
    /// <see cref="ContainerRuntimeException"/>.
    /// </remarks>
    public Task<int> Exited => _exited.Task;

    /// <inheritdoc />
    /// <remarks>ACI fixes the terminal's size when the command starts: this does nothing.</remarks>
    public Task ResizeAsync(ushort width, ushort height, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Gone already: nothing to close.
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _disposed.Dispose();
        _sending.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _disposed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                await _output.Writer.WriteAsync(buffer.AsMemory(0, result.Count), _disposed.Token);
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed: the caller ended the session.
        }
        catch (WebSocketException e) when (!_disposed.IsCancellationRequested)
        {
            failure = new ContainerRuntimeException($"The ACI exec session broke: {e.Message}", transient: true, e);
        }
        catch (WebSocketException)
        {
            // Aborted by DisposeAsync.
        }

        await _output.Writer.CompleteAsync();
        if (failure is null)
        {
            _exited.TrySetResult(0);
        }
        else
        {
            _exited.TrySetException(failure);
        }
    }

    private async ValueTask SendAsync(string text, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || _disposed.IsCancellationRequested)
        {
            return;
        }

        await _sending.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The command's input: bytes decoded as UTF-8 (a character split across writes is held until complete) and sent as text.</summary>
    private sealed class InputStream(AciExecSession session) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        private bool _closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => !_closed;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var chars = new char[_decoder.GetCharCount(buffer.Span, flush: false)];
            var count = _decoder.GetChars(buffer.Span, chars, flush: false);
            await session.SendAsync(new string(chars, 0, count), cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                await session.SendAsync(EndOfTransmission, CancellationToken.None);
            }

            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                session.SendAsync(EndOfTransmission, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            base.Dispose(disposing);
        }
    }
}
