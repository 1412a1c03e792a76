using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using DurableKube.Domain.Kubelet.Probes;
using DurableKube.Ports.Runtime;
using Grpc.Core;
using Grpc.Net.Client;

namespace DurableKube.Workflows.Probes;

/// <summary>
/// Runs a probe's handler once, as the kubelet's probers do (k8s.io/kubernetes/pkg/probe: exec, http, tcp, grpc), and
/// answers with the kubelet's own words: <c>HTTP probe failed with statuscode: 500</c>,
/// <c>dial tcp 127.0.0.1:8080: connect: connection refused</c>, an exec probe's output.
/// </summary>
public sealed class ProbeRunner : IDisposable
{
    /// <summary>The most of a response body or an exec's output the kubelet reads (10 KiB).</summary>
    public const int MaxOutput = 10 * 1024;

    private static readonly Method<byte[], byte[]> HealthCheck = new(
        MethodType.Unary, "grpc.health.v1.Health", "Check", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private readonly HttpMessageInvoker _http;
    private readonly SocketsHttpHandler _grpcHandler;

    /// <summary>Initializes a new instance of the <see cref="ProbeRunner"/> class.</summary>
    public ProbeRunner()
    {
        // As the kubelet's prober: no keep-alive, no proxy, redirects handled here, HTTPS without verifying the certificate.
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
#pragma warning disable CA5359 // The kubelet's HTTPS probes skip verification (InsecureSkipVerify): a pod's certificate names no pod IP.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
        });
        _grpcHandler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero };
    }

    /// <summary>Runs the probe's handler once, within its <c>timeoutSeconds</c>.</summary>
    /// <param name="call">The probe, its container and run.</param>
    /// <param name="cancellationToken">Cancels the probe (the prober is stopping).</param>
    /// <returns>What it found.</returns>
    public Task<ProbeObservation> RunAsync(ProbeCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var timeout = ProbeTimings.From(call.Probe).Timeout;
        var probe = call.Probe;
        if (probe.Exec is { } exec)
        {
            return ExecAsync(call, exec.Command ?? [], timeout, cancellationToken);
        }

        if (probe.HttpGet is not null || probe.TcpSocket is not null || probe.Grpc is not null)
        {
            var host = probe.HttpGet?.Host ?? probe.TcpSocket?.Host;
            if (string.IsNullOrEmpty(host) && string.IsNullOrEmpty(call.PodIP))
            {
                return Task.FromResult(ProbeObservation.Error("the pod has no IP yet"));
            }
        }

        if (probe.HttpGet is not null)
        {
            return HttpAsync(call, timeout, cancellationToken);
        }

        if (probe.TcpSocket is { } tcp)
        {
            var port = ProbeAddress.ResolvePort(tcp.Port, call.Container, out var error);
            return port is null
                ? Task.FromResult(ProbeObservation.Error(error!))
                : TcpAsync(string.IsNullOrEmpty(tcp.Host) ? call.PodIP! : tcp.Host, port.Value, timeout, cancellationToken);
        }

        if (probe.Grpc is { } grpc)
        {
            return GrpcAsync(call.PodIP!, grpc.Port, grpc.Service ?? string.Empty, timeout, cancellationToken);
        }

        return Task.FromResult(ProbeObservation.Error("missing probe handler"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _grpcHandler.Dispose();
    }

    private static async Task<ProbeObservation> ExecAsync(ProbeCall call, IList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IExecSession session;
        try
        {
            session = await call.Runtime.ExecAsync(call.Run, new ExecSpec(command.ToList()), cancellationToken);
        }
        catch (Exception e) when (e is NotSupportedException or ContainerRuntimeException)
        {
            return ProbeObservation.Error(e.Message);
        }

        // The session is disposed when the probe ends: that ends a command that outlived its timeout.
        await using (session)
        {
            var stdout = ReadCappedAsync(session.Stdout, cancellationToken);
            var stderr = session.Stderr is { } err ? ReadCappedAsync(err, cancellationToken) : Task.FromResult(string.Empty);
            int exitCode;
            try
            {
                exitCode = await session.Exited.WaitAsync(timeout, cancellationToken);
                await Task.WhenAll(stdout, stderr).WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // ExecProbeTimeout: the command's own words are lost, the timeout is the output.
                return ProbeObservation.Failure($"command {ProbeAddress.Quote(string.Join(' ', command))} timed out");
            }

            var output = await stdout + await stderr;
            if (output.Length > MaxOutput)
            {
                output = output[..MaxOutput];
            }

            return exitCode == 0 ? ProbeObservation.Success(output) : ProbeObservation.Failure(output);
        }
    }

    private async Task<ProbeObservation> HttpAsync(ProbeCall call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var action = call.Probe.HttpGet;
        var port = ProbeAddress.ResolvePort(action.Port, call.Container, out var error);
        if (port is null)
        {
            return ProbeObservation.Error(error!);
        }

        var url = ProbeAddress.HttpUrl(action, port.Value, call.PodIP ?? string.Empty);
        var current = url;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.ConnectionClose = true;
                foreach (var header in action.HttpHeaders ?? [])
                {
                    if (string.Equals(header.Name, "Host", StringComparison.OrdinalIgnoreCase))
                    {
                        request.Headers.Host = header.Value;
                    }
                    else
                    {
                        request.Headers.TryAddWithoutValidation(header.Name, header.Value);
                    }
                }

                if (!request.Headers.Contains("User-Agent"))
                {
                    request.Headers.TryAddWithoutValidation("User-Agent", ProbeAddress.UserAgent);
                }

                if (!request.Headers.Contains("Accept"))
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
                }

                using var response = await _http.SendAsync(request, deadline.Token);
                var code = (int)response.StatusCode;
                if (code is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (string.Equals(next.Host, url.Host, StringComparison.OrdinalIgnoreCase))
                    {
                        // Redirects to the same host are followed, ten at most.
                        if (redirects >= 9)
                        {
                            return ProbeObservation.Failure($"Get {ProbeAddress.Quote(next.ToString())}: stopped after 10 redirects");
                        }

                        current = next;
                        continue;
                    }
                }

                var body = await ReadCappedAsync(await response.Content.ReadAsStreamAsync(deadline.Token), deadline.Token);
                if (code is >= 200 and < 400)
                {
                    // A redirect to another host is not followed: a success, with a warning.
                    return code >= 300
                        ? new ProbeObservation(ProbeResult.Success, $"Probe terminated redirects, Response body: {body}", Warning: true)
                        : ProbeObservation.Success(body);
                }

                return ProbeObservation.Failure($"HTTP probe failed with statuscode: {code.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeObservation.Failure($"Get {ProbeAddress.Quote(current.ToString())}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            var target = ProbeAddress.HostPort(current.Host.Trim('[', ']'), current.Port);
            return ProbeObservation.Failure($"Get {ProbeAddress.Quote(current.ToString())}: {DialError(e.InnerException as SocketException, target, e.Message)}");
        }
    }

    private static async Task<ProbeObservation> TcpAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = ProbeAddress.HostPort(host, port);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            EndPoint endpoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
            await socket.ConnectAsync(endpoint, deadline.Token);
            return ProbeObservation.Success();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeObservation.Failure($"dial tcp {target}: i/o timeout");
        }
        catch (SocketException e)
        {
            return ProbeObservation.Failure(DialError(e, target, e.Message));
        }
    }

    private async Task<ProbeObservation> GrpcAsync(string host, int port, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var address = ProbeAddress.HostPort(host, port);
        using var channel = GrpcChannel.ForAddress(
            new Uri($"http://{address}"),
            new GrpcChannelOptions { HttpHandler = _grpcHandler, DisposeHttpClient = false });
        var request = string.IsNullOrEmpty(service) ? [] : HealthRequest(service);
        try
        {
            var call = channel.CreateCallInvoker().AsyncUnaryCall(
                HealthCheck, null, new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken), request);
            var status = ServingStatus(await call.ResponseAsync);
            return status == "SERVING"
                ? ProbeObservation.Success("service healthy")
                : ProbeObservation.Failure($"service unhealthy (responded with {ProbeAddress.Quote(status)})");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeObservation.Failure(e.StatusCode switch
            {
                StatusCode.Unimplemented => $"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {e.Status.Detail}",
                StatusCode.DeadlineExceeded => $"timeout: health rpc did not complete within {GoDuration(timeout)}",
                StatusCode.Unavailable => $"error: failed to connect service at {ProbeAddress.Quote(address)}: {e.Status.Detail}",
                _ => $"error: health rpc probe failed: {e.Status.Detail}",
            });
        }
    }

    /// <summary>Encodes a <c>grpc.health.v1.HealthCheckRequest</c>: field 1, the service's name.</summary>
    private static byte[] HealthRequest(string service)
    {
        var name = Encoding.UTF8.GetBytes(service);
        using var buffer = new MemoryStream();
        buffer.WriteByte(0x0A);
        for (var length = (uint)name.Length; ; length >>= 7)
        {
            if (length < 0x80)
            {
                buffer.WriteByte((byte)length);
                break;
            }

            buffer.WriteByte((byte)((length & 0x7F) | 0x80));
        }

        buffer.Write(name);
        return buffer.ToArray();
    }

    /// <summary>Reads a <c>grpc.health.v1.HealthCheckResponse</c>'s status (field 1, an enum; absent is UNKNOWN).</summary>
    private static string ServingStatus(byte[] response)
    {
        var value = 0;
        for (var i = 0; i < response.Length;)
        {
            var tag = response[i++];
            if (tag == 0x08 && i < response.Length)
            {
                value = response[i++] & 0x7F;
                continue;
            }

            break;
        }

        return value switch
        {
            1 => "SERVING",
            2 => "NOT_SERVING",
            3 => "SERVICE_UNKNOWN",
            _ => "UNKNOWN",
        };
    }

    /// <summary>Words a failed connection as Go's dialer does: <c>dial tcp 127.0.0.1:8080: connect: connection refused</c>.</summary>
    private static string DialError(SocketException? e, string target, string fallback) => e?.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => $"dial tcp {target}: connect: connection refused",
        SocketError.HostUnreachable => $"dial tcp {target}: connect: no route to host",
        SocketError.NetworkUnreachable => $"dial tcp {target}: connect: network is unreachable",
        SocketError.TimedOut => $"dial tcp {target}: i/o timeout",
        SocketError.AddressNotAvailable => $"dial tcp {target}: connect: cannot assign requested address",
        _ => fallback,
    };

    /// <summary>Formats a duration as Go's <c>time.Duration</c> does for whole seconds (<c>1s</c>, <c>1m30s</c>).</summary>
    private static string GoDuration(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        return seconds < 60
            ? seconds.ToString(CultureInfo.InvariantCulture) + "s"
            : seconds < 3600
                ? $"{(seconds / 60).ToString(CultureInfo.InvariantCulture)}m{(seconds % 60).ToString(CultureInfo.InvariantCulture)}s"
                : $"{(seconds / 3600).ToString(CultureInfo.InvariantCulture)}h{(seconds / 60 % 60).ToString(CultureInfo.InvariantCulture)}m{(seconds % 60).ToString(CultureInfo.InvariantCulture)}s";
    }

    /// <summary>Reads a stream to its end, keeping at most <see cref="MaxOutput"/> bytes.</summary>
    private static async Task<string> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var room = MaxOutput - (int)kept.Length;
            if (room > 0)
            {
                kept.Write(buffer, 0, Math.Min(room, read));
            }
        }

        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }
}
