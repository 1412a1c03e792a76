using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Resources;
using DurableKube.Api.Streaming.Spdy;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Streaming;

/// <summary>
/// <c>pods/{name}/portforward</c>: TCP to the pod's IP, in the three shapes clients speak. kubectl 1.31+ tunnels SPDY/3.1
/// through a WebSocket (subprotocol <c>SPDY/3.1+portforward.k8s.io</c>) and falls back to an HTTP upgrade to SPDY/3.1;
/// the C# client speaks the WebSocket channel protocol (<c>v4.channel.k8s.io</c>): two channels per port given in the
/// query (data 2i, error 2i+1), each opened by the server with the port as two little-endian bytes.
/// </summary>
internal sealed class PortForwardHandler(IObjectStore store, IOptions<KubernetesApiOptions> options, ILogger<PortForwardHandler> logger)
{
    /// <summary>The WebSocket subprotocol of SPDY tunnelled through a WebSocket.</summary>
    public const string SpdyTunnelProtocol = "SPDY/3.1+portforward.k8s.io";

    /// <summary>The SPDY stream protocol of port-forward.</summary>
    public const string StreamProtocol = "portforward.k8s.io";

    private static readonly IReadOnlyList<ChannelProtocol> ChannelProtocols =
        [ChannelProtocol.V4, ChannelProtocol.V4Base64, ChannelProtocol.PortForward, ChannelProtocol.V1, ChannelProtocol.V1Base64];

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly KubernetesApiOptions _options = options.Value;

    /// <summary>Serves one port-forward request.</summary>
    public async Task HandleAsync(ResourceRequest request)
    {
        if (!_options.Streaming)
        {
            throw StatusErrors.StreamingNotServed("portforward");
        }

        var context = request.Http;
        var pod = await store.GetAsync(request.Key, request.Cancellation) as V1Pod ?? throw StatusErrors.NotFound(request.Type, request.Name);
        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            throw StatusErrors.BadRequest($"pod {request.Name} does not have a host assigned");
        }

        if (pod.Status?.Phase != "Running")
        {
            throw StatusErrors.BadRequest($"unable to forward port because pod is not running. Current status={pod.Status?.Phase ?? "Unknown"}");
        }

        var websocket = context.WebSockets.IsWebSocketRequest;
        var spdyUpgrade = !websocket && PodStreamHandler.HasUpgrade(context.Request, "SPDY/3.1");
        if (!websocket && !spdyUpgrade)
        {
            throw PodStreamHandler.HasUpgrade(context.Request, "websocket")
                ? StatusErrors.StreamingNotServed("portforward")
                : StatusErrors.BadRequest("Upgrade request required");
        }

        var address = IPAddress.TryParse(pod.Status?.PodIP, out var ip) ? ip : IPAddress.Loopback;
        var target = new Target(address, request.Namespace ?? string.Empty, request.Name, logger);
        if (spdyUpgrade)
        {
            await ServeSpdyUpgradeAsync(context, target);
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (offered.Contains(SpdyTunnelProtocol, StringComparer.Ordinal))
        {
            using var tunnel = await AcceptWithProtocolAsync(context, SpdyTunnelProtocol);
            Log.PortForwardOpened(logger, target.Namespace, target.Pod, SpdyTunnelProtocol, address);
            await using var stream = new WebSocketByteStream(tunnel);
            using var session = new SpdyPortForwardSession(stream, target.ConnectAsync, target.Failed);
            await session.RunAsync(request.Cancellation);
            await CloseQuietlyAsync(tunnel);
            return;
        }

        var ports = ParsePorts(request.Query);
        var protocol = offered.Count == 0
            ? ChannelProtocol.V1
            : ChannelProtocol.Negotiate(offered, ChannelProtocols)
                ?? throw StatusErrors.BadRequest(
                    $"requested protocol(s) are not supported: [{string.Join(" ", offered)}]; supports [{string.Join(" ", ChannelProtocols.Select(p => p.Name).Prepend(SpdyTunnelProtocol))}]");
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = offered.Count == 0 ? null : protocol.Name,
            KeepAliveInterval = TimeSpan.FromSeconds(30),
        });
        Log.PortForwardOpened(logger, target.Namespace, target.Pod, offered.Count == 0 ? "(none)" : protocol.Name, address);
        using var connection = new ChannelConnection(socket, protocol);
        await ServeChannelsAsync(connection, ports, target, request.Cancellation);
    }

    /// <summary>Reads the ports to forward: <c>ports</c> (the API's PodPortForwardOptions) or <c>port</c> (the kubelet's), each possibly comma-separated.</summary>
    internal static IReadOnlyList<int> ParsePorts(IQueryCollection query)
    {
        var values = query["ports"].Concat(query["port"]).Where(v => v is not null).ToList();
        if (values.Count == 0)
        {
            throw StatusErrors.BadRequest("query parameter \"port\" is required");
        }

        var ports = new List<int>();
        foreach (var value in values)
        {
            foreach (var text in value!.Split(','))
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    throw StatusErrors.BadRequest($"unable to parse \"{text}\" as a port: must be an integer between 1 and 65535");
                }

                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>
    /// Accepts a WebSocket whose subprotocol .NET's handshake refuses (<c>SPDY/3.1+portforward.k8s.io</c> holds a '/',
    /// a separator in RFC 6455's token): the handshake is answered here, then the upgraded connection becomes a WebSocket.
    /// </summary>
    internal static async Task<WebSocket> AcceptWithProtocolAsync(HttpContext context, string protocol)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || string.IsNullOrEmpty(key))
        {
            throw StatusErrors.StreamingNotServed("portforward");
        }

#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for Sec-WebSocket-Accept: a handshake check, not a security measure.
        var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        context.Response.Headers["Sec-WebSocket-Protocol"] = protocol;
        var stream = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }

    private static async Task ServeSpdyUpgradeAsync(HttpContext context, Target target)
    {
        var versions = context.Request.Headers["X-Stream-Protocol-Version"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries));
        if (!versions.Contains(StreamProtocol, StringComparer.Ordinal))
        {
            throw StatusErrors.BadRequest($"unable to upgrade: unable to negotiate protocol: client supports {string.Join(", ", versions)}, server supports [{StreamProtocol}]");
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw StatusErrors.StreamingNotServed("portforward");
        }

        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "SPDY/3.1";
        context.Response.Headers["X-Stream-Protocol-Version"] = StreamProtocol;
        await using var stream = await upgrade.UpgradeAsync();
        Log.PortForwardOpened(target.Logger, target.Namespace, target.Pod, "SPDY/3.1", target.Address);
        using var session = new SpdyPortForwardSession(stream, target.ConnectAsync, target.Failed);
        await session.RunAsync(context.RequestAborted);
    }

    /// <summary>The WebSocket channel protocol: every port's data and error channels, opened with the port number, for the connection's life.</summary>
    private static async Task ServeChannelsAsync(ChannelConnection connection, IReadOnlyList<int> ports, Target target, CancellationToken aborted)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var sockets = new Stream?[ports.Count];
        var pumps = new List<Task>();
        try
        {
            var portBytes = new byte[2];
            for (var i = 0; i < ports.Count; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(portBytes, (ushort)ports[i]);
                await connection.SendAsync((byte)(2 * i), portBytes, session.Token);
                await connection.SendAsync((byte)((2 * i) + 1), portBytes, session.Token);
            }

            for (var i = 0; i < ports.Count; i++)
            {
                var index = i;
                try
                {
                    sockets[i] = await target.ConnectAsync(ports[i], session.Token);
                    pumps.Add(PumpToClientAsync(sockets[i]!, connection, (byte)(2 * index), session.Token));
                }
                catch (Exception e) when (e is SocketException or IOException or TimeoutException)
                {
                    var message = $"error forwarding port {ports[i]} to pod {target.Pod}: {e.Message}";
                    target.Failed(message);
                    await connection.SendAsync((byte)((2 * i) + 1), Encoding.UTF8.GetBytes(message), session.Token);
                }
            }

            while (await connection.ReceiveAsync(session.Token) is { } message)
            {
                var index = message.Channel / 2;
                if (message.Channel % 2 == 0 && index < sockets.Length && sockets[index] is { } socket && !message.Data.IsEmpty)
                {
                    try
                    {
                        await socket.WriteAsync(message.Data, session.Token);
                    }
                    catch (IOException)
                    {
                        // The pod's side closed; its pump reports the end.
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The client went away.
        }
        finally
        {
            await session.CancelAsync();
            foreach (var socket in sockets)
            {
                if (socket is not null)
                {
                    await socket.DisposeAsync();
                }
            }

            await Task.WhenAll(pumps).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await connection.CloseAsync(CancellationToken.None);
        }
    }

    private static async Task PumpToClientAsync(Stream socket, ChannelConnection connection, byte channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await connection.SendAsync(channel, buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
            // Either side went away.
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
            {
                // The client is gone.
            }
        }
    }

    /// <summary>The pod to forward to.</summary>
    private sealed record Target(IPAddress Address, string Namespace, string Pod, ILogger Logger)
    {
        public async Task<Stream> ConnectAsync(int port, CancellationToken cancellationToken)
        {
            var socket = new Socket(Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ConnectTimeout);
                await socket.ConnectAsync(new IPEndPoint(Address, port), timeout.Token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw new TimeoutException($"dial tcp {Address}:{port}: i/o timeout");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public void Failed(string message) => Log.PortForwardFailed(Logger, Namespace, Pod, message);
    }
}
