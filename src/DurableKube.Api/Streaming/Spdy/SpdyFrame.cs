using System.Buffers.Binary;

namespace DurableKube.Api.Streaming.Spdy;

/// <summary>
/// One SPDY/3.1 frame as read from the wire. A control frame is <c>1 | version(15) | type(16) | flags(8) | length(24) |
/// payload</c>; a DATA frame is <c>0 | stream id(31) | flags(8) | length(24) | data</c>.
/// </summary>
/// <param name="Type">The control frame's type, or <see cref="SpdyFrameType.Data"/>.</param>
/// <param name="Flags">The flags (FIN = 1).</param>
/// <param name="StreamId">The stream a DATA frame belongs to; for control frames that name one, the stream in their payload; else 0.</param>
/// <param name="Payload">The bytes after the 8-byte frame header.</param>
internal sealed record SpdyFrame(SpdyFrameType Type, byte Flags, int StreamId, byte[] Payload)
{
    /// <summary>FLAG_FIN: the sender's last frame on the stream.</summary>
    public const byte FlagFin = 0x01;

    /// <summary>Gets a value indicating whether the frame carries FLAG_FIN.</summary>
    public bool Fin => (Flags & FlagFin) != 0;

    /// <summary>Gets the 32-bit value at an offset of the payload (big-endian), e.g. a PING's id or a status code.</summary>
    /// <param name="offset">The offset.</param>
    /// <returns>The value.</returns>
    public uint UInt32At(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(offset, 4));
}
