using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace DurableKube.Api.Streaming.Spdy;

/// <summary>
/// Reads and writes SPDY/3.1 frames (the framing moby/spdystream speaks, which kubectl and the kubelet use for
/// port-forward). Name/value header blocks are one zlib stream per direction, primed with <see cref="SpdyDictionary"/>:
/// received blocks are inflated with one inflater for the connection; sent blocks are stored (uncompressed) deflate
/// blocks of one zlib stream, which every inflater reads.
/// </summary>
/// <remarks>One instance per connection: the header compression contexts span the connection's life.</remarks>
internal sealed class SpdyFramer
{
    /// <summary>The SPDY version spoken.</summary>
    public const ushort Version = 3;

    /// <summary>The largest frame accepted (the length field's limit is 16 MiB).</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024 - 1;

    private const int MaxHeaderBlockBytes = 1024 * 1024;
    private readonly Inflater _inflater = new(noHeader: false);
    private bool _headerWritten;

    /// <summary>Reads the next frame; <see langword="null"/> at the end of the stream between frames.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The frame, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a SPDY/3 frame.</exception>
    public static async Task<SpdyFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[8];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < header.Length)
        {
            throw new InvalidDataException("The connection ended inside a SPDY frame header.");
        }

        var length = (header[5] << 16) | (header[6] << 8) | header[7];
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return Parse(header, payload);
    }

    /// <summary>Parses a frame from its header and payload.</summary>
    /// <param name="header">The 8-byte header.</param>
    /// <param name="payload">The payload.</param>
    /// <returns>The frame.</returns>
    public static SpdyFrame Parse(ReadOnlySpan<byte> header, byte[] payload)
    {
        var first = BinaryPrimitives.ReadUInt32BigEndian(header);
        var flags = header[4];
        if ((first & 0x8000_0000) == 0)
        {
            return new SpdyFrame(SpdyFrameType.Data, flags, (int)(first & 0x7fff_ffff), payload);
        }

        var version = (ushort)((first >> 16) & 0x7fff);
        if (version != Version)
        {
            throw new InvalidDataException($"SPDY version {version} is not served; only 3.");
        }

        var type = (SpdyFrameType)(first & 0xffff);
        var streamId = type is SpdyFrameType.SynStream or SpdyFrameType.SynReply or SpdyFrameType.RstStream or SpdyFrameType.Headers or SpdyFrameType.WindowUpdate
            && payload.Length >= 4
            ? (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fff_ffff)
            : 0;
        return new SpdyFrame(type, flags, streamId, payload);
    }

    /// <summary>Reads the headers of a SYN_STREAM (after stream id, associated id, priority and slot), SYN_REPLY or HEADERS frame.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The headers; names lower-case, several values of one name split at NUL.</returns>
    /// <exception cref="InvalidDataException">The block does not inflate or parse.</exception>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ReadHeaders(SpdyFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var offset = frame.Type == SpdyFrameType.SynStream ? 10 : 4;
        if (frame.Payload.Length < offset)
        {
            throw new InvalidDataException($"A {frame.Type} frame of {frame.Payload.Length} bytes is too short.");
        }

        return ParseHeaderBlock(Inflate(frame.Payload.AsSpan(offset)));
    }

    /// <summary>Writes a SYN_STREAM.</summary>
    public byte[] SynStream(int streamId, int associatedId, byte priority, byte flags, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var block = CompressHeaders(headers);
        var payload = new byte[10 + block.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId & 0x7fff_ffff);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), associatedId & 0x7fff_ffff);
        payload[8] = (byte)(priority << 5);
        block.CopyTo(payload.AsSpan(10));
        return Control(SpdyFrameType.SynStream, flags, payload);
    }

    /// <summary>Writes a SYN_REPLY.</summary>
    public byte[] SynReply(int streamId, byte flags, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var block = CompressHeaders(headers);
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId & 0x7fff_ffff);
        block.CopyTo(payload.AsSpan(4));
        return Control(SpdyFrameType.SynReply, flags, payload);
    }

    /// <summary>Writes a DATA frame.</summary>
    public static byte[] Data(int streamId, byte flags, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxFrameBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(data), "A SPDY frame holds at most 16 MiB.");
        }

        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, streamId & 0x7fff_ffff);
        WriteFlagsAndLength(frame, flags, data.Length);
        data.CopyTo(frame.AsSpan(8));
        return frame;
    }

    /// <summary>Writes a RST_STREAM.</summary>
    public static byte[] RstStream(int streamId, uint status)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId & 0x7fff_ffff);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), status);
        return Control(SpdyFrameType.RstStream, 0, payload);
    }

    /// <summary>Writes a PING (a reply carries the id it answers).</summary>
    public static byte[] Ping(uint id)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        return Control(SpdyFrameType.Ping, 0, payload);
    }

    /// <summary>Writes a GOAWAY.</summary>
    public static byte[] GoAway(int lastGoodStreamId, uint status)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, lastGoodStreamId & 0x7fff_ffff);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4), status);
        return Control(SpdyFrameType.GoAway, 0, payload);
    }

    /// <summary>Writes a WINDOW_UPDATE.</summary>
    public static byte[] WindowUpdate(int streamId, int delta)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, streamId & 0x7fff_ffff);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), delta & 0x7fff_ffff);
        return Control(SpdyFrameType.WindowUpdate, 0, payload);
    }

    /// <summary>
    /// Compresses a header block as the next part of this direction's zlib stream: the zlib header first (once), then
    /// one stored, non-final deflate block (a stored block is byte-aligned, so each block stands on its own) and the
    /// empty stored block of a sync flush.
    /// </summary>
    public byte[] CompressHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var block = HeaderBlock(headers);
        if (block.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A header block this large is not written.", nameof(headers));
        }

        using var output = new MemoryStream();
        if (!_headerWritten)
        {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0x01: no preset dictionary (none is needed to read stored blocks).
            output.Write([0x78, 0x01]);
            _headerWritten = true;
        }

        var length = (ushort)block.Length;
        output.WriteByte(0x00);
        output.Write([(byte)length, (byte)(length >> 8), (byte)~length, (byte)(~length >> 8)]);
        output.Write(block);

        // Then an empty stored block, as zlib's sync flush ends every block: inflaters (Go's among them) hand out
        // what they hold only at a block boundary they have seen, and must not read past this header block to find one.
        output.Write([0x00, 0x00, 0x00, 0xff, 0xff]);
        return output.ToArray();
    }

    /// <summary>The uncompressed name/value block: a 32-bit count, then each name and value with a 32-bit length.</summary>
    internal static byte[] HeaderBlock(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var grouped = headers.GroupBy(pair => pair.Key.ToLowerInvariant(), StringComparer.Ordinal).ToList();
        using var output = new MemoryStream();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, grouped.Count);
        output.Write(number);
        foreach (var group in grouped)
        {
            foreach (var text in new[] { group.Key, string.Join('\0', group.Select(pair => pair.Value)) })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(number, bytes.Length);
                output.Write(number);
                output.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>Parses an uncompressed name/value block.</summary>
    internal static Dictionary<string, IReadOnlyList<string>> ParseHeaderBlock(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var count = ReadLength(ref block);
        for (var i = 0; i < count; i++)
        {
            var name = Encoding.UTF8.GetString(ReadBytes(ref block, ReadLength(ref block)));
            var value = Encoding.UTF8.GetString(ReadBytes(ref block, ReadLength(ref block)));
            headers[name.ToLowerInvariant()] = value.Split('\0');
        }

        return headers;
    }

    private byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        _inflater.SetInput(compressed.ToArray());
        using var output = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var count = _inflater.Inflate(buffer);
                if (count > 0)
                {
                    output.Write(buffer, 0, count);
                    if (output.Length > MaxHeaderBlockBytes)
                    {
                        throw new InvalidDataException("A SPDY header block inflates to more than 1 MiB.");
                    }

                    continue;
                }

                if (_inflater.IsNeedingDictionary)
                {
                    _inflater.SetDictionary(SpdyDictionary.Bytes);
                    continue;
                }

                if (_inflater.IsNeedingInput || _inflater.IsFinished)
                {
                    return output.ToArray();
                }
            }
        }
        catch (ICSharpCode.SharpZipLib.SharpZipBaseException e)
        {
            throw new InvalidDataException("A SPDY header block does not inflate: " + e.Message, e);
        }
    }

    private static int ReadLength(ref ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            throw new InvalidDataException("A SPDY header block ends early.");
        }

        var value = BinaryPrimitives.ReadInt32BigEndian(block);
        block = block[4..];
        return value is >= 0 and <= MaxHeaderBlockBytes ? value : throw new InvalidDataException($"A SPDY header length of {value} is not valid.");
    }

    private static ReadOnlySpan<byte> ReadBytes(ref ReadOnlySpan<byte> block, int length)
    {
        if (block.Length < length)
        {
            throw new InvalidDataException("A SPDY header block ends early.");
        }

        var bytes = block[..length];
        block = block[length..];
        return bytes;
    }

    private static byte[] Control(SpdyFrameType type, byte flags, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0x8000 | Version);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)type);
        WriteFlagsAndLength(frame, flags, payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static void WriteFlagsAndLength(Span<byte> frame, byte flags, int length)
    {
        frame[4] = flags;
        frame[5] = (byte)(length >> 16);
        frame[6] = (byte)(length >> 8);
        frame[7] = (byte)length;
    }
}
