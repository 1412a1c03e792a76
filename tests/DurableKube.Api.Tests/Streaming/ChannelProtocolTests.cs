using DurableKube.Api.Streaming;

namespace DurableKube.Api.Tests.Streaming;

public sealed class ChannelProtocolTests
{
    [Theory]
    [InlineData("v4.channel.k8s.io,v5.channel.k8s.io", "v5.channel.k8s.io")]
    [InlineData("v4.channel.k8s.io", "v4.channel.k8s.io")]
    [InlineData("channel.k8s.io, base64.channel.k8s.io", "channel.k8s.io")]
    [InlineData("base64.channel.k8s.io", "base64.channel.k8s.io")]
    [InlineData("v9.channel.k8s.io", null)]
    public void The_server_picks_its_most_preferred_subprotocol_the_client_offers(string offered, string? expected)
    {
        Assert.Equal(expected, ChannelProtocol.Negotiate([offered], ChannelProtocol.RemoteCommand)?.Name);
    }

    [Fact]
    public void A_binary_message_is_the_channel_byte_then_the_data()
    {
        var frame = ChannelMessage.Encode(ChannelProtocol.V5, 2, "err"u8);
        var decoded = ChannelMessage.Decode(ChannelProtocol.V5, frame)!.Value;

        Assert.Equal([2, (byte)'e', (byte)'r', (byte)'r'], frame);
        Assert.Equal((2, "err"), (decoded.Channel, System.Text.Encoding.ASCII.GetString(decoded.Data.Span)));
    }

    [Fact]
    public void A_base64_message_is_the_channel_digit_then_base64()
    {
        var frame = ChannelMessage.Encode(ChannelProtocol.V1Base64, 1, "foo\n"u8);
        var decoded = ChannelMessage.Decode(ChannelProtocol.V1Base64, frame)!.Value;

        Assert.Equal("1Zm9vCg==", System.Text.Encoding.ASCII.GetString(frame));
        Assert.Equal((1, "foo\n"), (decoded.Channel, System.Text.Encoding.ASCII.GetString(decoded.Data.Span)));
    }

    [Fact]
    public void An_empty_message_is_ignored()
    {
        Assert.Null(ChannelMessage.Decode(ChannelProtocol.V4, ReadOnlyMemory<byte>.Empty));
    }
}
