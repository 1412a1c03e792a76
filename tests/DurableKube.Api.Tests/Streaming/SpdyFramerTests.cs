using DurableKube.Api.Streaming.Spdy;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace DurableKube.Api.Tests.Streaming;

public sealed class SpdyFramerTests
{
    /// <summary>
    /// Two header blocks as one zlib stream with the SPDY/3 dictionary and a sync flush after each, as Go's spdy framer
    /// (and so kubectl) writes them: the error and data streams of port-forward request 0 to port 8080. The first starts
    /// with the zlib header naming the dictionary by its Adler-32, e3c6a7c2.
    /// </summary>
    private static readonly byte[] ErrorStreamHeaders = Convert.FromHexString(
        "78f9e3c6a7c202253a48f95b044eea16061606409ab308125f99a074cc68004e892545a989b9d0c2863515141500000000ffff");

    private static readonly byte[] DataStreamHeaders = Convert.FromHexString("225333a8a44a04000000ffff");

    /// <summary>
    /// What kubectl 1.32 sent after its SPDY/3.1 upgrade (<c>KUBECTL_PORT_FORWARD_WEBSOCKETS=false kubectl port-forward
    /// pod/web 18559:18080</c>, one connection), captured by a TCP proxy between it and the local host: SYN_STREAM 1
    /// (the error stream), an empty DATA with FIN on it (kubectl closes its side at once), SYN_STREAM 3 (the data stream).
    /// </summary>
    private static readonly byte[] CapturedKubectl = Convert.FromHexString(
        "80030001000000400000000100000000000078f9e3c6a7c202253a060606ce2248fc6482d22da30138e59514a526e6420b17d65450d0430a" +
        "ea2250a26635b430b03000000000ffff0000000101000000800300010000001c0000000300000000000082ea46550b2a8812b12945b30400" +
        "0000ffff");

    [Fact]
    public async Task A_captured_kubectl_port_forward_opening_reads_as_its_two_streams()
    {
        using var wire = new MemoryStream(CapturedKubectl);
        var framer = new SpdyFramer();

        var error = await ReadAsync(wire);
        var close = await ReadAsync(wire);
        var data = await ReadAsync(wire);
        var errorHeaders = framer.ReadHeaders(error);
        var dataHeaders = framer.ReadHeaders(data);

        Assert.Equal((SpdyFrameType.SynStream, 1), (error.Type, error.StreamId));
        Assert.Equal(("error", "18080", "0"), (errorHeaders["streamtype"][0], errorHeaders["port"][0], errorHeaders["requestid"][0]));
        Assert.Equal((SpdyFrameType.Data, 1, true, 0), (close.Type, close.StreamId, close.Fin, close.Payload.Length));
        Assert.Equal((SpdyFrameType.SynStream, 3), (data.Type, data.StreamId));
        Assert.Equal(("data", "18080", "0"), (dataHeaders["streamtype"][0], dataHeaders["port"][0], dataHeaders["requestid"][0]));
        Assert.Null(await SpdyFramer.ReadAsync(wire, CancellationToken.None));
    }

    [Fact]
    public void The_dictionary_is_the_one_SPDY_3_fixes()
    {
        var adler = new ICSharpCode.SharpZipLib.Checksum.Adler32();
        adler.Update(SpdyDictionary.Bytes);

        Assert.Equal(1423, SpdyDictionary.Bytes.Length);
        Assert.Equal(0xe3c6a7c2, adler.Value);
    }

    [Fact]
    public void Compressed_header_blocks_of_one_connection_inflate_in_turn()
    {
        var framer = new SpdyFramer();

        var error = framer.ReadHeaders(SynStream(1, ErrorStreamHeaders));
        var data = framer.ReadHeaders(SynStream(3, DataStreamHeaders));

        Assert.Equal(["error", "8080", "0"], new[] { error["streamtype"][0], error["port"][0], error["requestid"][0] });
        Assert.Equal(["data", "8080", "0"], new[] { data["streamtype"][0], data["port"][0], data["requestid"][0] });
    }

    [Fact]
    public async Task Written_frames_read_back_with_their_headers_and_data()
    {
        var writer = new SpdyFramer();
        var reader = new SpdyFramer();
        using var wire = new MemoryStream();
        wire.Write(writer.SynStream(5, 0, 0, 0, [new("streamtype", "data"), new("port", "80"), new("requestid", "2")]));
        wire.Write(writer.SynReply(5, 0, [new("x", "1"), new("x", "2")]));
        wire.Write(SpdyFramer.Data(5, SpdyFrame.FlagFin, "hello"u8));
        wire.Write(SpdyFramer.Ping(42));
        wire.Write(SpdyFramer.RstStream(7, 5));
        wire.Write(SpdyFramer.GoAway(5, 0));
        wire.Write(SpdyFramer.WindowUpdate(5, 1000));
        wire.Position = 0;

        var syn = await ReadAsync(wire);
        var reply = await ReadAsync(wire);
        var data = await ReadAsync(wire);
        var ping = await ReadAsync(wire);
        var reset = await ReadAsync(wire);
        var away = await ReadAsync(wire);
        var window = await ReadAsync(wire);

        Assert.Equal((SpdyFrameType.SynStream, 5), (syn.Type, syn.StreamId));
        Assert.Equal("80", reader.ReadHeaders(syn)["port"][0]);
        Assert.Equal(["1", "2"], reader.ReadHeaders(reply)["x"]);
        Assert.Equal((SpdyFrameType.Data, 5, true, "hello"), (data.Type, data.StreamId, data.Fin, System.Text.Encoding.ASCII.GetString(data.Payload)));
        Assert.Equal((SpdyFrameType.Ping, 42u), (ping.Type, ping.UInt32At(0)));
        Assert.Equal((SpdyFrameType.RstStream, 7, 5u), (reset.Type, reset.StreamId, reset.UInt32At(4)));
        Assert.Equal((SpdyFrameType.GoAway, 5u), (away.Type, away.UInt32At(0)));
        Assert.Equal((SpdyFrameType.WindowUpdate, 5, 1000u), (window.Type, window.StreamId, window.UInt32At(4)));
        Assert.Null(await SpdyFramer.ReadAsync(wire, CancellationToken.None));
    }

    [Fact]
    public void Stored_header_blocks_are_a_zlib_stream_any_inflater_reads()
    {
        var writer = new SpdyFramer();
        var first = writer.CompressHeaders([new("a", "1")]);
        var second = writer.CompressHeaders([]);
        var inflater = new Inflater();
        var output = new byte[256];

        Assert.Equal([0x78, 0x01], first[..2]);
        Assert.All(new[] { first, second }, block => Assert.Equal([0x00, 0x00, 0x00, 0xff, 0xff], block[^5..]));
        inflater.SetInput([.. first, .. second]);
        var count = inflater.Inflate(output);

        Assert.Equal(
            [.. SpdyFramer.HeaderBlock([new("a", "1")]), .. SpdyFramer.HeaderBlock([])],
            output.AsSpan(0, count).ToArray());
    }

    [Fact]
    public void A_frame_of_another_version_is_refused()
    {
        byte[] header = [0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04];

        Assert.Throws<InvalidDataException>(() => SpdyFramer.Parse(header, new byte[4]));
    }

    [Fact]
    public void A_header_block_that_does_not_inflate_is_a_protocol_error()
    {
        var framer = new SpdyFramer();

        Assert.Throws<InvalidDataException>(() => framer.ReadHeaders(SynStream(1, [0x78, 0xf9, 1, 2, 3, 4, 5, 6, 7])));
    }

    private static SpdyFrame SynStream(int id, byte[] block)
    {
        var payload = new byte[10 + block.Length];
        payload[3] = (byte)id;
        block.CopyTo(payload, 10);
        return new SpdyFrame(SpdyFrameType.SynStream, 0, id, payload);
    }

    private static async Task<SpdyFrame> ReadAsync(Stream stream) => (await SpdyFramer.ReadAsync(stream, CancellationToken.None))!;
}
