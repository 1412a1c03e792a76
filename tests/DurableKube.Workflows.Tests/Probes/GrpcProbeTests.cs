using System.Buffers.Binary;
using System.Net;
using DurableKube.Domain.Kubelet.Probes;
using DurableKube.Ports.Runtime;
using DurableKube.Testing;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.Probes;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Tests.Probes;

/// <summary>
/// grpc probes against a small grpc.health.v1 server (Kestrel, HTTP/2 without TLS) whose answer each test sets:
/// a serving status per service, or a grpc-status error.
/// </summary>
public sealed class GrpcProbeTests : IAsyncLifetime, IDisposable
{
    private readonly ProbeRunner _runner = new();
    private readonly int _port = FreePort.Next();
    private readonly List<string> _services = [];
    private WebApplication _app = null!;

    /// <summary>Gets or sets the status the server answers (1 SERVING, 2 NOT_SERVING), or a grpc-status error code.</summary>
    private (int Serving, int GrpcStatus) Answer { get; set; } = (1, 0);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _port, o => o.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapPost("/grpc.health.v1.Health/Check", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var request = body.ToArray();

            // A framed HealthCheckRequest: 5 bytes of prefix, then field 1 (the service) if not empty.
            _services.Add(request.Length > 7 ? System.Text.Encoding.UTF8.GetString(request, 7, request[6]) : string.Empty);
            context.Response.ContentType = "application/grpc";
            context.Response.DeclareTrailer("grpc-status");
            if (Answer.GrpcStatus == 0)
            {
                var frame = new byte[7];
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), 2);
                frame[5] = 0x08;
                frame[6] = (byte)Answer.Serving;
                await context.Response.Body.WriteAsync(frame);
            }

            context.Response.AppendTrailer("grpc-status", Answer.GrpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Answer.GrpcStatus != 0)
            {
                context.Response.AppendTrailer("grpc-message", "unknown service grpc.health.v1.Health");
            }
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _runner.Dispose();

    private Task<ProbeObservation> ProbeAsync(string? service = null) => _runner.RunAsync(new ProbeCall(
        new V1Probe { Grpc = new V1GRPCAction { Port = _port, Service = service }, TimeoutSeconds = 5 },
        new V1Container { Name = "app" },
        "127.0.0.1",
        new ContainerRunId("uid", "app", 0),
        new FakeContainerRuntime()));

    [Theory]
    [InlineData(1, ProbeResult.Success, "service healthy")]
    [InlineData(2, ProbeResult.Failure, "service unhealthy (responded with \"NOT_SERVING\")")]
    [InlineData(3, ProbeResult.Failure, "service unhealthy (responded with \"SERVICE_UNKNOWN\")")]
    public async Task The_health_status_decides(int serving, ProbeResult result, string output)
    {
        Answer = (serving, 0);

        var observation = await ProbeAsync("db");

        Assert.Equal((result, output), (observation.Result, observation.Output));
        Assert.Equal(["db"], _services);
    }

    [Fact]
    public async Task A_server_without_the_health_protocol_says_so()
    {
        Answer = (0, 12);

        var observation = await ProbeAsync();

        Assert.Equal(ProbeResult.Failure, observation.Result);
        Assert.Equal("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health", observation.Output);
        Assert.Equal([string.Empty], _services);
    }
}
