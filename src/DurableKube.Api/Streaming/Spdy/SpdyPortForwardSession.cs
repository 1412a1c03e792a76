using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace DurableKube.Api.Streaming.Spdy;

/// <summary>
/// The server side of kubectl's SPDY port-forward protocol (<c>portforward.k8s.io</c>), as the kubelet serves it: for each
/// forwarded connection the client opens an error stream and a data stream, both with headers <c>streamtype</c>,
/// <c>port</c> and <c>requestid</c>; the server accepts each (SYN_REPLY), connects the data stream to the port, copies
/// both ways, ends the data stream (FIN) when the port's side closes, and ends the error stream after writing any error.
/// </summary>
internal sealed class SpdyPortForwardSession : IDisposable
{
    /// <summary>RST_STREAM status PROTOCOL_ERROR.</summary>
    private const uint ProtocolError = 1;

    private readonly Stream _transport;
    private readonly Func<int, CancellationToken, Task<Stream>> _connect;
    private readonly Action<string>? _failed;
    private readonly SpdyFramer _framer = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<int, Forward> _streams = new();
    private readonly ConcurrentDictionary<string, Pair> _requests = new(StringComparer.Ordinal);
    private readonly List<Task> _forwards = [];

    /// <summary>Initializes a new instance of the <see cref="SpdyPortForwardSession"/> class.</summary>
    /// <param name="transport">The connection (an upgraded HTTP connection, or a WebSocket tunnel).</param>
    /// <param name="connect">Opens a connection to a port of the pod.</param>
    /// <param name="failed">Told of a forward that could not connect.</param>
    public SpdyPortForwardSession(Stream transport, Func<int, CancellationToken, Task<Stream>> connect, Action<string>? failed = null)
    {
        _transport = transport;
        _connect = connect;
        _failed = failed;
    }

    /// <summary>Serves the session until the client ends it (end of stream or GOAWAY).</summary>
    /// <param name="cancellationToken">Ends the session.</param>
    /// <returns>A task that completes once every forward has ended.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (await SpdyFramer.ReadAsync(_transport, session.Token) is { } frame)
            {
                if (!await HandleAsync(frame, session.Token))
                {
                    break;
                }
            }
        }
        catch (InvalidDataException e)
        {
            // The client spoke something else: the session ends.
            _failed?.Invoke("SPDY protocol error: " + e.Message);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            await session.CancelAsync();
            foreach (var forward in _streams.Values)
            {
                forward.Inbound.Writer.TryComplete();
            }

            await Task.WhenAll(_forwards).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writing.Dispose();

    private async Task<bool> HandleAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.Type)
        {
            case SpdyFrameType.Data:
                if (_streams.TryGetValue(frame.StreamId, out var target))
                {
                    // A stream whose pod side has closed takes no more data: what the client still sends is dropped (its
                    // inbound channel is complete), as the kubelet drops it, and the session goes on.
                    if (frame.Payload.Length > 0)
                    {
                        _ = target.Inbound.Writer.TryWrite(frame.Payload);
                    }

                    if (frame.Fin)
                    {
                        target.Inbound.Writer.TryComplete();
                    }
                }

                return true;
            case SpdyFrameType.SynStream:
                await OpenAsync(frame, cancellationToken);
                return true;
            case SpdyFrameType.RstStream:
                if (_streams.TryGetValue(frame.StreamId, out var reset))
                {
                    reset.Inbound.Writer.TryComplete();
                    try
                    {
                        await reset.Reset.CancelAsync();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The forward has ended already.
                    }
                }

                return true;
            case SpdyFrameType.Ping when frame.Payload.Length >= 4:
                await WriteAsync(SpdyFramer.Ping(frame.UInt32At(0)), cancellationToken);
                return true;
            case SpdyFrameType.GoAway:
                return false;
            case SpdyFrameType.Headers:
                _ = _framer.ReadHeaders(frame); // keeps the header decompressor in step
                return true;
            default:
                // SETTINGS, WINDOW_UPDATE: nothing to do (spdystream does not enforce flow control either).
                return true;
        }
    }

    private async Task OpenAsync(SpdyFrame frame, CancellationToken cancellationToken)
    {
        var headers = _framer.ReadHeaders(frame);
        var id = frame.StreamId;
        string? Header(string name) => headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
        var type = Header("streamtype");
        var requestId = Header("requestid") ?? id.ToString(CultureInfo.InvariantCulture);
        if (type is not ("error" or "data")
            || !int.TryParse(Header("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            await WriteAsync(SpdyFramer.RstStream(id, ProtocolError), cancellationToken);
            return;
        }

        var forward = new Forward(id, type, port, requestId);
        _streams[id] = forward;
        if (frame.Fin)
        {
            forward.Inbound.Writer.TryComplete();
        }

        await WriteAsync(_framer.SynReply(id, 0, []), cancellationToken);
        var pair = _requests.GetOrAdd(requestId, _ => new Pair());
        if (type == "error")
        {
            pair.Error.TrySetResult(forward);
            return;
        }

        _forwards.Add(Task.Run(() => ForwardAsync(forward, pair, cancellationToken), CancellationToken.None));
    }

    private async Task ForwardAsync(Forward forward, Pair pair, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, forward.Reset.Token);
        var token = linked.Token;
        string? error = null;
        try
        {
            Stream target;
            try
            {
                target = await _connect(forward.Port, token);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error = e.Message;
                return;
            }

            await using (target)
            {
                var inbound = CopyInboundAsync(forward, target, token);
                var buffer = new byte[32 * 1024];
                int read;
                try
                {
                    while ((read = await target.ReadAsync(buffer, token)) > 0)
                    {
                        // Written under the session's token, never the stream's: cancelling a WebSocket send part-way
                        // aborts the whole WebSocket, so a client's RST_STREAM must not reach a send in progress.
                        await WriteAsync(SpdyFramer.Data(forward.StreamId, 0, buffer.AsSpan(0, read)), cancellationToken);
                    }
                }
                catch (IOException)
                {
                    // The pod's side reset the connection (a server closing with unread input does): the stream ends
                    // as after a close. As the kubelet does, only a failure to connect goes on the error stream.
                }

                await WriteAsync(SpdyFramer.Data(forward.StreamId, SpdyFrame.FlagFin, []), cancellationToken);
                forward.Inbound.Writer.TryComplete();
                await inbound.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The session or the stream ended.
        }
        finally
        {
            await FinishAsync(forward, pair, error);
        }
    }

    private static async Task CopyInboundAsync(Forward forward, Stream target, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in forward.Inbound.Reader.ReadAllAsync(cancellationToken))
            {
                await target.WriteAsync(chunk, cancellationToken);
                await target.FlushAsync(cancellationToken);
            }

            if (target is System.Net.Sockets.NetworkStream network)
            {
                // The client's end of file: half-close, so the pod's side still answers.
                network.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Either side went away.
        }
    }

    /// <summary>Writes the error (if any) on the request's error stream and ends it, as the kubelet does once a forward is over.</summary>
    private async Task FinishAsync(Forward forward, Pair pair, string? error)
    {
        try
        {
            if (error is not null)
            {
                var message = string.Create(CultureInfo.InvariantCulture, $"error forwarding port {forward.Port} to pod: {error}");
                _failed?.Invoke(message);
                if (!pair.Error.Task.IsCompleted)
                {
                    // The error stream may come second: wait for it a moment.
                    await ((Task)pair.Error.Task).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                if (pair.Error.Task.IsCompletedSuccessfully)
                {
                    await WriteAsync(SpdyFramer.Data(pair.Error.Task.Result.StreamId, 0, Encoding.UTF8.GetBytes(message)), CancellationToken.None);
                }

                await WriteAsync(SpdyFramer.Data(forward.StreamId, SpdyFrame.FlagFin, []), CancellationToken.None);
            }

            if (pair.Error.Task.IsCompletedSuccessfully)
            {
                await WriteAsync(SpdyFramer.Data(pair.Error.Task.Result.StreamId, SpdyFrame.FlagFin, []), CancellationToken.None);
                _streams.TryRemove(pair.Error.Task.Result.StreamId, out _);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // The session is gone.
        }
        finally
        {
            _streams.TryRemove(forward.StreamId, out _);
            _requests.TryRemove(forward.RequestId, out _);
            forward.Reset.Dispose();
        }
    }

    private async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await _transport.WriteAsync(frame, cancellationToken);
            await _transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>One stream of the session.</summary>
    private sealed record Forward(int StreamId, string Type, int Port, string RequestId)
    {
        /// <summary>Gets what the client sent on the stream.</summary>
        public Channel<byte[]> Inbound { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        /// <summary>Gets the cancellation a RST_STREAM triggers.</summary>
        public CancellationTokenSource Reset { get; } = new();
    }

    /// <summary>The error and data streams of one request id.</summary>
    private sealed class Pair
    {
        /// <summary>Gets the error stream, once opened.</summary>
        public TaskCompletionSource<Forward> Error { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
