using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DurableKube.Functions.Api;

/// <summary>
/// The Kubernetes API: one catch-all HTTP trigger (routePrefix "" in host.json, so <c>/api/v1/...</c>,
/// <c>/apis/...</c>, <c>/version</c> and <c>/openapi/...</c> arrive as kubectl sends them) over the same
/// <see cref="DurableKube.Api.KubernetesApi"/> handler the local host serves.
/// </summary>
public sealed class KubernetesApiFunction
{
    /// <summary>The function's name.</summary>
    public const string Name = "KubernetesApi";

    private readonly DurableKube.Api.KubernetesApi _api;

    /// <summary>Initializes a new instance of the <see cref="KubernetesApiFunction"/> class.</summary>
    /// <param name="api">The API handler.</param>
    public KubernetesApiFunction(DurableKube.Api.KubernetesApi api) => _api = api;

    /// <summary>Serves one request. The handler writes the whole response itself, streamed watches and logs included.</summary>
    /// <param name="request">The request (ASP.NET Core integration).</param>
    /// <returns>An empty result: the response is written already.</returns>
    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _api.HandleAsync(request.HttpContext);
        return new EmptyResult();
    }
}
