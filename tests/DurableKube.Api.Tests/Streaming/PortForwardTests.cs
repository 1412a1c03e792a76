using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using DurableKube.Api.Streaming.Spdy;
using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Streaming;

/// <summary>port-forward: the WebSocket channel protocol of the C# client, and the SPDY session kubectl speaks.</summary>
public sealed class PortForwardTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_channel_protocol_opens_each_channel_with_its_port_and_carries_bytes_both_ways()
    {
        using var echo = EchoServer.Start();
        await using var api = await ApiHost.StartAsync();
        await ExecAttachTests.RunningPodAsync(api);
        var client = api.CreateWebSocketClient();
        client.SubProtocols.Add("v4.channel.k8s.io");
        using var timeout = new CancellationTokenSource(Patience);

        using var socket = await client.ConnectAsync(new Uri($"ws://localhost/api/v1/namespaces/default/pods/web/portforward?ports={echo.Port}"), timeout.Token);
        var data = await ReceiveAsync(socket, timeout.Token);
        var error = await ReceiveAsync(socket, timeout.Token);
        await socket.SendAsync((byte[])[0, .. "ping"u8], WebSocketMessageType.Binary, true, timeout.Token);
        var echoed = await ReceiveAsync(socket, timeout.Token);

        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        Assert.Equal((0, echo.Port), (data[0], (int)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(1))));
        Assert.Equal((1, echo.Port), (error[0], (int)BinaryPrimitives.ReadUInt16LittleEndian(error.AsSpan(1))));
        Assert.Equal("ping", Encoding.ASCII.GetString(echoed, 1, echoed.Length - 1));
        Assert.Equal(0, echoed[0]);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_on_its_error_channel()
    {
        var port = EchoServer.FreePort();
        await using var api = await ApiHost.StartAsync();
        await ExecAttachTests.RunningPodAsync(api);
        var client = api.CreateWebSocketClient();
        client.SubProtocols.Add("v4.channel.k8s.io");
        using var timeout = new CancellationTokenSource(Patience);

        using var socket = await client.ConnectAsync(new Uri($"ws://localhost/api/v1/namespaces/default/pods/web/portforward?ports={port}"), timeout.Token);
        await ReceiveAsync(socket, timeout.Token);
        await ReceiveAsync(socket, timeout.Token);
        var error = await ReceiveAsync(socket, timeout.Token);

        Assert.Equal(1, error[0]);
        Assert.StartsWith($"error forwarding port {port} to pod web: ", Encoding.UTF8.GetString(error, 1, error.Length - 1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "query parameter \"port\" is required")]
    [InlineData("?ports=0", "unable to parse \"0\" as a port: must be an integer between 1 and 65535")]
    [InlineData("?ports=http", "unable to parse \"http\" as a port: must be an integer between 1 and 65535")]
    public async Task Ports_are_required_and_checked(string query, string message)
    {
        await using var api = await ApiHost.StartAsync();
        await ExecAttachTests.RunningPodAsync(api);
        var client = api.CreateWebSocketClient();
        client.SubProtocols.Add("v4.channel.k8s.io");

        // The test server cannot show the body of a refused upgrade: the parsing is checked directly.
        var query2 = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        var error = Assert.Throws<Api.Errors.ApiException>(() => Api.Streaming.PortForwardHandler.ParsePorts(new Microsoft.AspNetCore.Http.QueryCollection(query2)));
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri("ws://localhost/api/v1/namespaces/default/pods/web/portforward" + query), CancellationToken.None));

        Assert.Equal((400, message), (error.Status.Code, error.Status.Message));
    }

    [Fact]
    public async Task A_pod_that_is_not_running_cannot_be_forwarded_to()
    {
        await using var api = await ApiHost.StartAsync();
        await ExecAttachTests.RunningPodAsync(api);
        await api.SetPodAsync("web", p => p.Status.Phase = "Pending");

        var (code, message) = await ExecAttachTests.RefusedAsync(api, "/api/v1/namespaces/default/pods/web/portforward?ports=80");

        Assert.Equal((400, "unable to forward port because pod is not running. Current status=Pending"), (code, message));
    }

    [Fact]
    public async Task A_SPDY_session_forwards_a_request_and_ends_its_streams_as_kubectl_expects()
    {
        using var echo = EchoServer.Start(closeAfterFirstRead: true);
        using var pair = await LoopbackPair.CreateAsync();
        using var session = new SpdyPortForwardSession(pair.Server, ConnectLoopbackAsync);
        using var timeout = new CancellationTokenSource(Patience);
        var serving = session.RunAsync(timeout.Token);
        var client = new SpdyFramer();
        var port = echo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await pair.Client.WriteAsync(client.SynStream(1, 0, 0, 0, [new("streamtype", "error"), new("port", port), new("requestid", "0")]), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Data(1, SpdyFrame.FlagFin, []), timeout.Token);
        await pair.Client.WriteAsync(client.SynStream(3, 0, 0, 0, [new("streamtype", "data"), new("port", port), new("requestid", "0")]), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Data(3, 0, "hello"u8), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Ping(7), timeout.Token);
        var frames = new List<SpdyFrame>();
        while (!frames.Any(f => f.Type == SpdyFrameType.Data && f.StreamId == 1 && f.Fin))
        {
            frames.Add((await SpdyFramer.ReadAsync(pair.Client, timeout.Token))!);
        }

        await pair.Client.WriteAsync(SpdyFramer.GoAway(3, 0), timeout.Token);
        await serving;

        Assert.Equal([1, 3], frames.Where(f => f.Type == SpdyFrameType.SynReply).Select(f => f.StreamId));
        Assert.Contains(frames, f => f.Type == SpdyFrameType.Ping && f.UInt32At(0) == 7);
        Assert.Equal("hello", Encoding.ASCII.GetString([.. frames.Where(f => f.Type == SpdyFrameType.Data && f.StreamId == 3).SelectMany(f => f.Payload)]));
        Assert.Contains(frames, f => f.Type == SpdyFrameType.Data && f.StreamId == 3 && f.Fin);
        Assert.Empty(frames.Where(f => f.Type == SpdyFrameType.Data && f.StreamId == 1).SelectMany(f => f.Payload));
    }

    [Fact]
    public async Task Data_sent_on_a_stream_after_its_end_is_dropped_and_the_session_goes_on_serving()
    {
        using var echo = EchoServer.Start();
        using var pair = await LoopbackPair.CreateAsync();
        using var session = new SpdyPortForwardSession(pair.Server, ConnectLoopbackAsync);
        using var timeout = new CancellationTokenSource(Patience);
        var serving = session.RunAsync(timeout.Token);
        var client = new SpdyFramer();
        var port = echo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var frames = new List<SpdyFrame>();

        // The client ends its data stream, then (late, as a client racing its own close may) sends more on it.
        await pair.Client.WriteAsync(client.SynStream(1, 0, 0, 0, [new("streamtype", "error"), new("port", port), new("requestid", "0")]), timeout.Token);
        await pair.Client.WriteAsync(client.SynStream(3, 0, 0, 0, [new("streamtype", "data"), new("port", port), new("requestid", "0")]), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Data(3, SpdyFrame.FlagFin, "first"u8), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Data(3, 0, "late"u8), timeout.Token);
        while (!frames.Any(f => f.Type == SpdyFrameType.Data && f.StreamId == 1 && f.Fin))
        {
            frames.Add((await SpdyFramer.ReadAsync(pair.Client, timeout.Token))!);
        }

        // The session still serves the next connection.
        await pair.Client.WriteAsync(client.SynStream(5, 0, 0, 0, [new("streamtype", "error"), new("port", port), new("requestid", "1")]), timeout.Token);
        await pair.Client.WriteAsync(client.SynStream(7, 0, 0, 0, [new("streamtype", "data"), new("port", port), new("requestid", "1")]), timeout.Token);
        await pair.Client.WriteAsync(SpdyFramer.Data(7, SpdyFrame.FlagFin, "second"u8), timeout.Token);
        while (!frames.Any(f => f.Type == SpdyFrameType.Data && f.StreamId == 5 && f.Fin))
        {
            frames.Add((await SpdyFramer.ReadAsync(pair.Client, timeout.Token))!);
        }

        await pair.Client.WriteAsync(SpdyFramer.GoAway(7, 0), timeout.Token);
        await serving;

        string Received(int stream) => Encoding.ASCII.GetString([.. frames.Where(f => f.Type == SpdyFrameType.Data && f.StreamId == stream).SelectMany(f => f.Payload)]);
        Assert.Equal(("first", "second"), (Received(3), Received(7)));
    }

    [Fact]
    public async Task A_SPDY_stream_to_a_closed_port_gets_the_error_on_its_error_stream()
    {
        var closed = EchoServer.FreePort();
        using var pair = await LoopbackPair.CreateAsync();
        using var session = new SpdyPortForwardSession(pair.Server, ConnectLoopbackAsync);
        using var timeout = new CancellationTokenSource(Patience);
        var serving = session.RunAsync(timeout.Token);
        var client = new SpdyFramer();
        var port = closed.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await pair.Client.WriteAsync(client.SynStream(1, 0, 0, 0, [new("streamtype", "error"), new("port", port), new("requestid", "0")]), timeout.Token);
        await pair.Client.WriteAsync(client.SynStream(3, 0, 0, 0, [new("streamtype", "data"), new("port", port), new("requestid", "0")]), timeout.Token);
        var frames = new List<SpdyFrame>();
        while (!frames.Any(f => f.Type == SpdyFrameType.Data && f.StreamId == 1 && f.Fin))
        {
            frames.Add((await SpdyFramer.ReadAsync(pair.Client, timeout.Token))!);
        }

        pair.Client.Dispose();
        await serving;

        var error = Encoding.UTF8.GetString([.. frames.Where(f => f.Type == SpdyFrameType.Data && f.StreamId == 1).SelectMany(f => f.Payload)]);
        Assert.StartsWith($"error forwarding port {port} to pod: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SYN_STREAM_without_a_valid_port_is_reset()
    {
        using var pair = await LoopbackPair.CreateAsync();
        using var session = new SpdyPortForwardSession(pair.Server, (_, _) => throw new InvalidOperationException("no connection expected"));
        using var timeout = new CancellationTokenSource(Patience);
        var serving = session.RunAsync(timeout.Token);
        var client = new SpdyFramer();

        await pair.Client.WriteAsync(client.SynStream(1, 0, 0, 0, [new("streamtype", "data"), new("port", "none")]), timeout.Token);
        var reply = await SpdyFramer.ReadAsync(pair.Client, timeout.Token);
        pair.Client.Dispose();
        await serving;

        Assert.Equal((SpdyFrameType.RstStream, 1, 1u), (reply!.Type, reply.StreamId, reply.UInt32At(4)));
    }

    /// <summary>Connects to a port on 127.0.0.1, as the session connects to a pod's port.</summary>
    private static async Task<Stream> ConnectLoopbackAsync(int port, CancellationToken cancellationToken)
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        return socket.GetStream();
    }

    private static async Task<byte[]> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    /// <summary>A TCP server on 127.0.0.1 that echoes what it reads, for one connection at a time.</summary>
    private sealed class EchoServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();

        private EchoServer(bool closeAfterFirstRead)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = ServeAsync(closeAfterFirstRead);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static EchoServer Start(bool closeAfterFirstRead = false) => new(closeAfterFirstRead);

        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task ServeAsync(bool closeAfterFirstRead)
        {
            try
            {
                while (true)
                {
                    using var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = connection.GetStream();
                    var buffer = new byte[4096];
                    int read;
                    while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                        if (closeAfterFirstRead)
                        {
                            break;
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
                // Stopped.
            }
        }
    }

    /// <summary>Two ends of a loopback TCP connection: a transport for a SPDY session and its client.</summary>
    private sealed class LoopbackPair : IDisposable
    {
        private readonly TcpClient _server;
        private readonly TcpClient _client;

        private LoopbackPair(TcpClient server, TcpClient client)
        {
            _server = server;
            _client = client;
        }

        public Stream Server => _server.GetStream();

        public Stream Client => _client.GetStream();

        public static async Task<LoopbackPair> CreateAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            var accepting = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            var server = await accepting;
            listener.Stop();
            return new LoopbackPair(server, client);
        }

        public void Dispose()
        {
            _client.Dispose();
            _server.Dispose();
        }
    }
}
