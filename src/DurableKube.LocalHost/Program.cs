using System.Globalization;
using System.Net;
using DurableKube.Api;
using DurableKube.Hosting;
using DurableKube.LocalHost;
using DurableKube.LocalHost.Durable;
using DurableKube.LocalHost.Proxy;
using DurableKube.LocalHost.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Probes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// The local host: the Kubernetes API on 127.0.0.1 (port DURABLEKUBE_PORT, default 7071) and the same
// workflows the Functions app runs, on the Durable Task Framework against Azure Storage (Azurite).
// Its settings files sit beside it, wherever it is started from.
// `durablekube credentials DIR` makes (or keeps) the CA, the server certificate and the tokens under DIR, and exits.
if (args is ["credentials", var credentialsFolder])
{
    foreach (var made in LocalCredentials.Ensure(credentialsFolder, DateTimeOffset.UtcNow))
    {
        Console.WriteLine("made " + made);
    }

    return;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var port = int.TryParse(Environment.GetEnvironmentVariable("DURABLEKUBE_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 7071;

// HTTPS with the certificate up.sh made (Tls__CertificatePath, Tls__KeyPath); plain HTTP only when Tls__PlainHttp=true
// says so (tests and measurements that want an open door). HTTP/1.1, as the local host always served: exec, attach and
// port-forward upgrade HTTP/1.1 connections.
var certificatePath = builder.Configuration["Tls:CertificatePath"];
var keyPath = builder.Configuration["Tls:KeyPath"];
var plainHttp = string.Equals(builder.Configuration["Tls:PlainHttp"], "true", StringComparison.OrdinalIgnoreCase);
if (!plainHttp && (string.IsNullOrEmpty(certificatePath) || string.IsNullOrEmpty(keyPath)))
{
    Console.Error.WriteLine("error: the local host serves HTTPS: set Tls__CertificatePath and Tls__KeyPath (scripts/up.sh does), or Tls__PlainHttp=true for an unencrypted API.");
    Environment.ExitCode = 2;
    return;
}

var certificate = plainHttp ? null : LocalCredentials.LoadServerCertificate(certificatePath!, keyPath!);
// The API refuses a request line and headers over KubernetesApi__MaxRequestHeaderBytes with a 431 Status; Kestrel's own
// limits sit above that (twice it), so that only a far larger request gets Kestrel's bare 431. Request bodies are
// bounded by the API (KubernetesApi__MaxRequestBodyBytes, 413), as in the Functions app; Kestrel's 30 MB stays as a
// backstop for the proxy. A body that trickles in slower than Kestrel's minimum rate (240 bytes/s after 5 s) is cut (408).
var headerLimit = 2 * (builder.Configuration.GetValue<int?>("KubernetesApi:MaxRequestHeaderBytes") ?? new KubernetesApiOptions().MaxRequestHeaderBytes);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(headerLimit, kestrel.Limits.MaxRequestHeadersTotalSize);
    kestrel.Limits.MaxRequestLineSize = Math.Max(headerLimit, kestrel.Limits.MaxRequestLineSize);
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1;
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }
    });
});

// The kubernetes Service's endpoints name this API (unless configured otherwise).
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["KubernetesApi:AdvertiseAddress"] = builder.Configuration["KubernetesApi:AdvertiseAddress"] ?? IPAddress.Loopback.ToString(),
    ["KubernetesApi:AdvertisePort"] = builder.Configuration["KubernetesApi:AdvertisePort"] ?? port.ToString(CultureInfo.InvariantCulture),
});
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    console.UseUtcTimestamp = true;
});
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(40));

// The workflow engine first: hosted services start in registration order, and the ones below use its client.
builder.Services.AddDurableTaskFramework(builder.Configuration);
builder.Services.AddDurableKube(builder.Configuration);
builder.Services.AddHostedService<NodeAgents>();
builder.Services.AddHostedService<NodeProbers>();
builder.Services.AddHostedService<QueueDispatcherService>();

// kube-proxy's userspace mode: every ClusterIP:port (a loopback range by default) forwards to ready endpoints.
builder.Services.AddHostedService<ServiceProxy>();

// Traces and metrics go out over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(resource => resource.AddService("durablekube"))
        .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("DurableTask.Core"))
        .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(DurableKube.Workflows.Dispatch.PoisonReporter.MeterName))
        .UseOtlpExporter();
}

var app = builder.Build();
if (app.Services.GetService<LocalRuntimeChoice>() is { } runtime)
{
    StartupLog.LocalRuntime(app.Logger, runtime.Kind, runtime.Reason);
}

var api = app.Services.GetRequiredService<KubernetesApi>();

// exec, attach and port-forward upgrade their connection to a WebSocket (port-forward also to SPDY/3.1).
app.UseWebSockets();
app.Run(api.HandleAsync);
await app.RunAsync();
