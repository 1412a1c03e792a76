using System.Buffers;
using System.Net.WebSockets;

namespace DurableKube.Api.Streaming;

/// <summary>
/// A WebSocket speaking a channel protocol: sends are serialized (a WebSocket takes one at a time), receives return
/// whole messages decoded.
/// </summary>
internal sealed class ChannelConnection : IDisposable
{
    private const int MaxMessageBytes = 4 * 1024 * 1024;
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Initializes a new instance of the <see cref="ChannelConnection"/> class.</summary>
    /// <param name="socket">The accepted WebSocket.</param>
    /// <param name="protocol">The negotiated subprotocol.</param>
    public ChannelConnection(WebSocket socket, ChannelProtocol protocol)
    {
        _socket = socket;
        Protocol = protocol;
    }

    /// <summary>Gets the negotiated subprotocol.</summary>
    public ChannelProtocol Protocol { get; }

    /// <summary>Sends bytes on a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once sent.</returns>
    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = ChannelMessage.Encode(Protocol, channel, data.Span);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, Protocol.Base64 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Receives the next message.</summary>
    /// <param name="cancellationToken">Cancels the receive.</param>
    /// <returns>The message, or <see langword="null"/> once the client has closed the connection.</returns>
    public async Task<ChannelMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(memory, cancellationToken);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxMessageBytes)
            {
                return null;
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (ChannelMessage.Decode(Protocol, buffer.WrittenMemory.ToArray()) is { } message)
            {
                return message;
            }

            buffer.Clear();
        }
    }

    /// <summary>Closes the connection normally, if it is still open.</summary>
    /// <param name="cancellationToken">Cancels the close.</param>
    /// <returns>A task that completes once closed.</returns>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await _sending.WaitAsync(cancellationToken);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                }
                finally
                {
                    _sending.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client is gone.
            }
        }
    }

    /// <summary>Reads and drops what the client still sends until it closes (or the time is up), after the server's close.</summary>
    /// <param name="timeout">How long to wait for the client's close.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the client closed or the time is up.</returns>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (await ReceiveAsync(limit.Token) is not null)
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The client did not close in time.
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _sending.Dispose();
        _socket.Dispose();
    }
}
