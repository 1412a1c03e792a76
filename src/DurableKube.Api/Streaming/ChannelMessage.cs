namespace DurableKube.Api.Streaming;

/// <summary>One message of a channel protocol: the channel and its bytes (decoded).</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Data">The bytes.</param>
internal readonly record struct ChannelMessage(byte Channel, ReadOnlyMemory<byte> Data)
{
    /// <summary>Encodes a message as the subprotocol puts it on the wire.</summary>
    /// <param name="protocol">The subprotocol.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="data">The bytes.</param>
    /// <returns>The WebSocket message's payload.</returns>
    public static byte[] Encode(ChannelProtocol protocol, byte channel, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (protocol.Base64)
        {
            var text = (char)('0' + channel) + Convert.ToBase64String(data);
            return System.Text.Encoding.ASCII.GetBytes(text);
        }

        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsSpan(1));
        return frame;
    }

    /// <summary>Decodes a WebSocket message's payload.</summary>
    /// <param name="protocol">The subprotocol.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The message, or <see langword="null"/> for an empty payload (ignored, as the API server ignores it).</returns>
    /// <exception cref="FormatException">A base64 payload is not base64.</exception>
    public static ChannelMessage? Decode(ChannelProtocol protocol, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (payload.IsEmpty)
        {
            return null;
        }

        if (protocol.Base64)
        {
            var channel = (byte)(payload.Span[0] - '0');
            var text = System.Text.Encoding.ASCII.GetString(payload.Span[1..]);
            return new ChannelMessage(channel, Convert.FromBase64String(text));
        }

        return new ChannelMessage(payload.Span[0], payload[1..]);
    }
}
