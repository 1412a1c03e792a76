using DurableKube.Workflows.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DurableKube.Functions.Api;

/// <summary>
/// The dashboard's workflow view (<c>/ui/api/workflow/...</c>): the same <see cref="DurableKube.Api.KubernetesApi"/>
/// handler as the catch-all, given the workflow client that exists only inside an invocation (a Durable client
/// binding), so it can read the instance behind an object. Its literal route wins over the catch-all's.
/// </summary>
public sealed class DashboardWorkflowFunction
{
    /// <summary>The function's name.</summary>
    public const string Name = "DashboardWorkflow";

    private readonly DurableKube.Api.KubernetesApi _api;

    /// <summary>Initializes a new instance of the <see cref="DashboardWorkflowFunction"/> class.</summary>
    /// <param name="api">The API handler.</param>
    public DashboardWorkflowFunction(DurableKube.Api.KubernetesApi api) => _api = api;

    /// <summary>Serves one request of the workflow view; the door, routing and answers are the handler's.</summary>
    /// <param name="request">The request (ASP.NET Core integration).</param>
    /// <param name="client">The Durable client of this invocation.</param>
    /// <returns>An empty result: the response is written already.</returns>
    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "ui/api/workflow/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _api.HandleAsync(request.HttpContext, new DurableTaskClientWorkflowClient(client));
        return new EmptyResult();
    }
}
