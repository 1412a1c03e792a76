using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DurableKube.Domain.Networking;

/// <summary>An IPv4 range in CIDR notation (<c>127.1.0.0/16</c>): the pod range, the service range.</summary>
/// <param name="Network">The first address of the range, as a number.</param>
/// <param name="PrefixLength">The prefix length, 0 to 32.</param>
public sealed record Ipv4Cidr(uint Network, int PrefixLength)
{
    /// <summary>Gets how many addresses the range holds (network and broadcast addresses included).</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>Gets the first address of the range.</summary>
    public IPAddress First => ToAddress(Network);

    /// <summary>Parses <c>a.b.c.d/n</c>; the host bits are cleared, as Go's <c>net.ParseCIDR</c> does.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The range.</returns>
    /// <exception cref="FormatException">Not an IPv4 CIDR.</exception>
    public static Ipv4Cidr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !IPAddress.TryParse(text[..slash], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 0 or > 32)
        {
            throw new FormatException($"\"{text}\" is not an IPv4 range in CIDR notation (e.g. 127.1.0.0/16)");
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new Ipv4Cidr(ToNumber(address) & mask, prefix);
    }

    /// <summary>Whether an address lies in the range.</summary>
    /// <param name="address">The address.</param>
    /// <returns>Whether it does.</returns>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork && ToNumber(address) - Network < (ulong)Size;
    }

    /// <summary>Gets the address at an offset from the start of the range.</summary>
    /// <param name="offset">The offset, from 0 to <see cref="Size"/> - 1.</param>
    /// <returns>The address.</returns>
    public IPAddress At(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, Size);
        return ToAddress((uint)(Network + offset));
    }

    /// <summary>Gets an address's offset from the start of the range.</summary>
    /// <param name="address">An address in the range.</param>
    /// <returns>The offset.</returns>
    public long OffsetOf(IPAddress address) => ToNumber(address) - (long)Network;

    /// <summary>
    /// Gets the lowest free address for a host (neither the network nor, in ranges of more than two, the broadcast
    /// address) at or after <paramref name="start"/>, wrapping around, or null when every one is taken.
    /// </summary>
    /// <param name="taken">The addresses in use.</param>
    /// <param name="start">The offset to begin at (1 is the first host address).</param>
    /// <returns>The address, or null.</returns>
    public IPAddress? FirstFree(ISet<string> taken, long start = 1)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var (low, high) = Size <= 2 ? (0L, Size - 1) : (1L, Size - 2);
        var count = high - low + 1;
        var first = start < low || start > high ? low : start;
        for (long i = 0; i < count; i++)
        {
            var offset = low + ((first - low + i) % count);
            var candidate = At(offset);
            if (!taken.Contains(candidate.ToString()))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{First}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static uint ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    private static IPAddress ToAddress(uint number) =>
        new([(byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number]);
}
