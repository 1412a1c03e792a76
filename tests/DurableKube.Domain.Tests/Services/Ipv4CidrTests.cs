using System.Net;
using DurableKube.Domain.Networking;

namespace DurableKube.Domain.Tests.Services;

public sealed class Ipv4CidrTests
{
    [Theory]
    [InlineData("127.1.0.0/16", "127.1.0.0/16", 65536)]
    [InlineData("127.96.3.4/16", "127.96.0.0/16", 65536)]
    [InlineData("10.0.0.0/30", "10.0.0.0/30", 4)]
    [InlineData("10.0.0.7/32", "10.0.0.7/32", 1)]
    public void Ranges_parse_with_host_bits_cleared(string text, string shown, long size)
    {
        var range = Ipv4Cidr.Parse(text);

        Assert.Equal(shown, range.ToString());
        Assert.Equal(size, range.Size);
    }

    [Theory]
    [InlineData("127.1.0.0")]
    [InlineData("127.1.0.0/33")]
    [InlineData("::1/128")]
    [InlineData("nope/8")]
    public void Bad_ranges_are_refused(string text) => Assert.Throws<FormatException>(() => Ipv4Cidr.Parse(text));

    [Theory]
    [InlineData("10.0.0.0/30", "", 1, "10.0.0.1")]
    [InlineData("10.0.0.0/30", "10.0.0.1", 1, "10.0.0.2")]
    [InlineData("10.0.0.0/30", "10.0.0.1,10.0.0.2", 1, null)]
    [InlineData("10.0.0.0/29", "10.0.0.5", 5, "10.0.0.6")]
    [InlineData("10.0.0.0/29", "", 6, "10.0.0.6")]
    [InlineData("10.0.0.0/29", "10.0.0.6", 6, "10.0.0.1")]
    [InlineData("10.0.0.0/29", "", 7, "10.0.0.1")]
    public void The_first_free_host_address_is_found_from_a_start_wrapping_around(string range, string taken, long start, string? expected)
    {
        var used = taken.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        var found = Ipv4Cidr.Parse(range).FirstFree(used, start);

        Assert.Equal(expected, found?.ToString());
    }

    [Theory]
    [InlineData("127.96.0.0/16", "127.96.255.255", true)]
    [InlineData("127.96.0.0/16", "127.97.0.0", false)]
    [InlineData("127.96.0.0/16", "::1", false)]
    public void Contains_tells_the_range_apart(string range, string address, bool expected) =>
        Assert.Equal(expected, Ipv4Cidr.Parse(range).Contains(IPAddress.Parse(address)));
}
