namespace DurableKube.Api.Streaming;

/// <summary>
/// The WebSocket subprotocols of Kubernetes' streaming subresources (apimachinery's <c>wsstream</c>): every binary
/// message starts with the byte of the channel it belongs to (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize), or, for
/// <c>base64.channel.k8s.io</c>, a text message starting with the channel's digit and carrying base64.
/// </summary>
/// <param name="Name">The subprotocol's name.</param>
/// <param name="Version">1 for the original channel protocols, 4 for Status JSON on the error channel, 5 for the close signal too.</param>
/// <param name="Base64">Whether messages are base64 text.</param>
internal sealed record ChannelProtocol(string Name, int Version, bool Base64)
{
    /// <summary><c>v5.channel.k8s.io</c>: v4 plus a close signal (channel 255) that half-closes a channel, e.g. stdin's end of file.</summary>
    public static readonly ChannelProtocol V5 = new("v5.channel.k8s.io", 5, false);

    /// <summary><c>v4.channel.k8s.io</c>: the error channel carries a JSON <c>Status</c> with the exit code.</summary>
    public static readonly ChannelProtocol V4 = new("v4.channel.k8s.io", 4, false);

    /// <summary><c>channel.k8s.io</c>: the original binary protocol; the error channel carries the error's text.</summary>
    public static readonly ChannelProtocol V1 = new("channel.k8s.io", 1, false);

    /// <summary><c>base64.channel.k8s.io</c>: as <see cref="V1"/>, in text messages.</summary>
    public static readonly ChannelProtocol V1Base64 = new("base64.channel.k8s.io", 1, true);

    /// <summary><c>portforward.k8s.io</c> over WebSockets: the channel protocol, two channels per port.</summary>
    public static readonly ChannelProtocol PortForward = new("portforward.k8s.io", 4, false);

    /// <summary><c>v4.base64.channel.k8s.io</c>: v4 in base64 text messages.</summary>
    public static readonly ChannelProtocol V4Base64 = new("v4.base64.channel.k8s.io", 4, true);

    /// <summary>The channel of the close signal (v5).</summary>
    public const byte CloseSignal = 255;

    /// <summary>The subprotocols exec and attach serve, most preferred first.</summary>
    public static readonly IReadOnlyList<ChannelProtocol> RemoteCommand = [V5, V4, V4Base64, V1, V1Base64];

    /// <summary>
    /// Picks the server's most preferred subprotocol among those the client offers, as the API server does
    /// (<c>httpstream.Handshake</c>: the server's order decides).
    /// </summary>
    /// <param name="offered">The client's <c>Sec-WebSocket-Protocol</c> values (comma-separated lists allowed).</param>
    /// <param name="served">What the server serves, most preferred first.</param>
    /// <returns>The subprotocol, or <see langword="null"/> if none is shared.</returns>
    public static ChannelProtocol? Negotiate(IEnumerable<string?> offered, IReadOnlyList<ChannelProtocol> served)
    {
        ArgumentNullException.ThrowIfNull(offered);
        ArgumentNullException.ThrowIfNull(served);
        var names = offered
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        return served.FirstOrDefault(protocol => names.Contains(protocol.Name));
    }

    /// <summary>Parses the subprotocol values a client offers.</summary>
    /// <param name="offered">The header values.</param>
    /// <returns>The names, in the client's order.</returns>
    public static IReadOnlyList<string> Split(IEnumerable<string?> offered) =>
        [.. offered.SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
