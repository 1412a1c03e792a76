using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using DurableKube.Api.Errors;
using DurableKube.Api.Resources;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Proxy;

/// <summary>
/// The <c>proxy</c> subresource of Services and Pods (the apiserver's <c>ProxyREST</c>):
/// <c>.../services/[scheme:]{name}[:{port}]/proxy/{path}</c> goes to a ready endpoint of the Service's port, round-robin,
/// and <c>.../pods/{name}[:{port}]/proxy/{path}</c> to the pod's address; every method, the query string, the headers
/// (hop-by-hop ones dropped) and the body go through, and the answer streams back. Plain HTTP only.
/// </summary>
internal sealed class ProxyHandler(IObjectStore store) : IDisposable
{
    /// <summary>Headers that belong to one connection, never forwarded (RFC 9110 7.6.1), and Host, which the backend's address sets.</summary>
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    });

    private readonly ConcurrentDictionary<string, int> _next = new(StringComparer.Ordinal);

    public void Dispose() => _client.Dispose();

    public async Task HandleAsync(ResourceRequest request)
    {
        if (!ProxyTarget.TryParse(request.Name, out var target))
        {
            throw StatusErrors.BadRequest($"invalid proxy request: {request.Name}");
        }

        if (target.Scheme is not ("" or "http"))
        {
            throw StatusErrors.BadRequest(
                $"the {target.Scheme} scheme is not served: DurableKube's proxy speaks plain HTTP to Services and pods (use http: or no scheme)");
        }

        var (host, port) = request.Type == ResourceTypes.Services
            ? await ServiceBackendAsync(request, target)
            : await PodBackendAsync(request, target);
        await ForwardAsync(request, host, port);
    }

    private async Task<(string Host, int Port)> ServiceBackendAsync(ResourceRequest request, ProxyTarget target)
    {
        var key = new ObjectKey(ResourceTypes.Services, request.Namespace, target.Name);
        var service = await store.GetAsync(key, request.Cancellation) as V1Service ?? throw StatusErrors.NotFound(ResourceTypes.Services, target.Name);
        var portName = target.Port;
        if (target.PortNumber is { } number)
        {
            var servicePort = (service.Spec?.Ports ?? []).FirstOrDefault(p => p.Port == number)
                ?? throw StatusErrors.ServiceUnavailable($"no service port {number.ToString(CultureInfo.InvariantCulture)} found for service \"{target.Name}\"");
            portName = servicePort.Name ?? string.Empty;
        }

        if (ServiceTypes.TypeOf(service) == ServiceTypes.ExternalName)
        {
            throw StatusErrors.BadRequest($"service \"{target.Name}\" is of type ExternalName: it has no endpoints to proxy to");
        }

        var endpoints = await store.GetAsync(new ObjectKey(ResourceTypes.Endpoints, request.Namespace, target.Name), request.Cancellation) as V1Endpoints;
        var candidates = new List<(string, int)>();
        foreach (var subset in endpoints?.Subsets ?? [])
        {
            var port = (subset.Ports ?? []).FirstOrDefault(p => (p.Name ?? string.Empty) == portName);
            if (port is null)
            {
                continue;
            }

            candidates.AddRange((subset.Addresses ?? []).Select(a => (a.Ip, port.Port)));
        }

        if (candidates.Count == 0)
        {
            throw StatusErrors.ServiceUnavailable($"no endpoints available for service \"{target.Name}\"");
        }

        var turn = _next.AddOrUpdate($"{request.Namespace}/{target.Name}/{portName}", 0, (_, n) => unchecked(n + 1));
        return candidates[(int)((uint)turn % (uint)candidates.Count)];
    }

    private async Task<(string Host, int Port)> PodBackendAsync(ResourceRequest request, ProxyTarget target)
    {
        var key = new ObjectKey(ResourceTypes.Pods, request.Namespace, target.Name);
        var pod = await store.GetAsync(key, request.Cancellation) as V1Pod ?? throw StatusErrors.NotFound(ResourceTypes.Pods, target.Name);
        var ip = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(ip))
        {
            throw StatusErrors.ServiceUnavailable($"pod \"{target.Name}\" has no IP address yet");
        }

        if (target.Port.Length == 0)
        {
            return (ip, 80);
        }

        if (target.PortNumber is { } number)
        {
            return (ip, number);
        }

        var named = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target.Port)
            ?? throw StatusErrors.BadRequest($"pod \"{target.Name}\" has no container port named \"{target.Port}\"");
        return (ip, named.ContainerPort);
    }

    private async Task ForwardAsync(ResourceRequest request, string host, int port)
    {
        var http = request.Http;
        var path = http.Request.Path.Value ?? string.Empty;
        var marker = "/" + request.Name + "/proxy";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? string.Empty : path[(at + marker.Length)..];
        var uri = new UriBuilder("http", host, port) { Path = new PathString(rest.Length == 0 ? "/" : rest).ToUriComponent() }.Uri;
        var query = http.Request.QueryString.Value ?? string.Empty;
        using var message = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(uri.GetLeftPart(UriPartial.Path) + query));
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(http.Request.Body);
        }

        foreach (var header in http.Request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, http.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            var what = request.Type == ResourceTypes.Services ? "service" : "pod";
            var reason = e.InnerException is SocketException socket ? socket.Message : e.Message;
            throw StatusErrors.ServiceUnavailable(
                $"error trying to reach {what}: dial tcp {host}:{port.ToString(CultureInfo.InvariantCulture)}: {reason}");
        }

        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    http.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
            await http.Response.StartAsync(http.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }

    }
}
