using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableKube.Testing.Arm;

/// <summary>
/// A stand-in for Azure Resource Manager's container-group API (<c>Microsoft.ContainerInstance</c>), on https at
/// 127.0.0.1 with a self-signed certificate made when it starts, speaking ARM's wire format as ACI does:
/// <list type="bullet">
/// <item>PUT answers 201 (200 for an update) with <c>Azure-AsyncOperation</c>; provisioningState goes Pending, Creating,
/// Succeeded over <see cref="FakeArmOptions.ProvisioningStep"/>s, then the containers run their <see cref="ContainerScript"/>
/// (init containers first, in order).</item>
/// <item>GET of a group answers its <c>instanceView</c> (group state and events; each container's restartCount,
/// currentState, previousState and events); list answers without instanceView, paged by <c>nextLink</c>, as ARM does.</item>
/// <item>DELETE answers 202 with <c>Location</c> (204 for a group that does not exist); POST restart and start answer
/// 202 with <c>Azure-AsyncOperation</c>, stop 204; GET logs answers <c>{content}</c> (<c>tail</c>, <c>timestamps</c>).</item>
/// <item>Every request needs <c>Authorization: Bearer</c> and an api-version; every one is recorded in <see cref="Requests"/>.</item>
/// </list>
/// Faults are injected with <see cref="Inject"/>; <see cref="DeleteBehindOurBack"/> removes a group as a user would in the portal.
/// </summary>
public sealed partial class FakeArmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, FakeContainerGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string GroupId, string Kind, DateTimeOffset DoneAt)> _operations = new(StringComparer.Ordinal);
    private readonly List<(FakeArmFault Fault, string? Method, string? PathContains, int Remaining)> _faults = [];
    private readonly List<FakeArmRequest> _requests = [];
    private readonly List<(FakeArmFault Fault, string Method, string Path)> _faultsServed = [];
    private readonly Dictionary<string, ContainerScript> _scripts = new(StringComparer.Ordinal);

    private FakeArmServer(WebApplication app, X509Certificate2 certificate, FakeArmOptions options)
    {
        _app = app;
        Certificate = certificate;
        Options = options;
    }

    /// <summary>Gets the server's https address, e.g. <c>https://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets the self-signed certificate the server presents.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// Gets the certificate in PEM, for a host in another process that must trust it (written to a file, e.g. for
    /// <c>SSL_CERT_FILE</c>, or compared by a certificate check the test sets up).
    /// </summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Gets the knobs (they may be changed while it runs).</summary>
    public FakeArmOptions Options { get; }

    /// <summary>Gets every request received so far, in order.</summary>
    public IReadOnlyList<FakeArmRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets the names of the groups that exist now (deleting ones included).</summary>
    public IReadOnlyList<string> GroupNames
    {
        get
        {
            lock (_gate)
            {
                Sweep(Options.Time.GetUtcNow());
                return [.. _groups.Values.Select(group => group.Name).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="options">The knobs, or the defaults.</param>
    /// <returns>The running server.</returns>
    public static async Task<FakeArmServer> StartAsync(FakeArmOptions? options = null)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new FakeArmServer(app, certificate, options ?? new FakeArmOptions());
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>An HTTP handler that trusts this server's certificate (and no other self-signed one).</summary>
    /// <returns>The handler.</returns>
    public HttpMessageHandler CreateHandler()
    {
        var thumbprint = Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint },
        };
    }

    /// <summary>An Azure.Core transport that trusts this server's certificate.</summary>
    /// <returns>The transport.</returns>
    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(CreateHandler());

    /// <summary>Sets what containers running an image do (a container's own script, set with <see cref="ScriptContainer"/>, wins).</summary>
    /// <param name="image">The image, as the group names it.</param>
    /// <param name="script">The script.</param>
    public void ScriptImage(string image, ContainerScript script)
    {
        lock (_gate)
        {
            _scripts["image:" + image] = script;
        }
    }

    /// <summary>Sets what a container of a given name does, in every group.</summary>
    /// <param name="container">The container's name.</param>
    /// <param name="script">The script.</param>
    public void ScriptContainer(string container, ContainerScript script)
    {
        lock (_gate)
        {
            _scripts["container:" + container] = script;
        }
    }

    /// <summary>Makes the next <paramref name="times"/> matching requests fail with <paramref name="fault"/>.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="method">Only requests with this method, or any.</param>
    /// <param name="pathContains">Only requests whose path contains this, or any.</param>
    /// <param name="times">How many requests it hits.</param>
    public void Inject(FakeArmFault fault, string? method = null, string? pathContains = null, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add((fault, method, pathContains, times));
        }
    }

    /// <summary>Takes back the injected faults not served yet: all, or those injected with this <c>pathContains</c>.</summary>
    /// <param name="pathContains">The <c>pathContains</c> they were injected with, or <see langword="null"/> for every fault.</param>
    /// <returns>How many injections were taken back.</returns>
    public int ClearFaults(string? pathContains = null)
    {
        lock (_gate)
        {
            return _faults.RemoveAll(f => pathContains is null || string.Equals(f.PathContains, pathContains, StringComparison.Ordinal));
        }
    }

    /// <summary>Gets the faults served so far, in order, with the request each hit (the request log shows their answers too).</summary>
    public IReadOnlyList<(FakeArmFault Fault, string Method, string Path)> FaultsServed
    {
        get
        {
            lock (_gate)
            {
                return [.. _faultsServed];
            }
        }
    }

    /// <summary>Removes a group at once, as a user deleting it in the portal would.</summary>
    /// <param name="name">The group's name.</param>
    /// <returns>Whether it existed.</returns>
    public bool DeleteBehindOurBack(string name)
    {
        lock (_gate)
        {
            var key = _groups.Values.FirstOrDefault(group => group.Name == name)?.Id;
            return key is not null && _groups.Remove(key);
        }
    }

    /// <summary>Reads the body a group was last PUT with (secure values included), for assertions on what the client sent.</summary>
    /// <param name="name">The group's name.</param>
    /// <returns>The body, or <see langword="null"/>.</returns>
    public JsonObject? SentBody(string name)
    {
        lock (_gate)
        {
            return _groups.Values.FirstOrDefault(group => group.Name == name)?.Body.DeepClone() as JsonObject;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Kestrel needs the key in a form it can use for TLS: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}
