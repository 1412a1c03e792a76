using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Routing;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Dashboard;

/// <summary>
/// The web dashboard, in both hosts: the single-page app's files under <c>/ui/</c> (public, as the page itself holds
/// nothing: every piece of data it shows comes from the API with the user's bearer token), and the one endpoint of
/// its own, <c>/ui/api/workflow/{resource[.group]}/[{namespace}/]{name}</c>: the workflow behind an object, read
/// through the <see cref="IWorkflowClient"/> after the door has authorized a <c>get</c> of the object's
/// <c>workflow</c> subresource (a viewer may read it).
/// </summary>
internal sealed class DashboardHandler(ObjectRegistry registry, TimeProvider time)
{
    /// <summary>The first path segment of the dashboard.</summary>
    public const string Segment = "ui";

    /// <summary>The subresource the workflow endpoint is authorized as.</summary>
    public const string WorkflowSubresource = "workflow";

    /// <summary>How many history events the workflow endpoint returns at most.</summary>
    public const int HistoryLimit = 30;

    /// <summary>
    /// The policy every dashboard file is served with: scripts, styles and connections only from this origin, no inline
    /// script or style, no framing, no plugins, no form posts, no base URI changes.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly DashboardAssets _assets = DashboardAssets.Embedded;

    /// <summary>Serves one file of the app.</summary>
    /// <param name="context">The request.</param>
    /// <param name="path">The path under <c>/ui/</c>.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task ServeFileAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (request.Method is not ("GET" or "HEAD"))
        {
            throw StatusErrors.MethodNotAllowed();
        }

        // "/ui" without its slash: the app's relative URLs need the directory.
        if (path.Length == 0 && !(request.Path.Value ?? string.Empty).EndsWith('/'))
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = request.PathBase + "/" + Segment + "/";
            return;
        }

        var asset = _assets.Find(path) ?? throw StatusErrors.RouteNotFound();
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // No build step, so no content-hashed names: every file is revalidated (a 304 while unchanged), and a new
        // version is seen at the next load.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == asset.ETag || t.Trim() == "*")))
        {
            context.Response.StatusCode = 304;
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        if (request.Method == "GET")
        {
            await context.Response.Body.WriteAsync(asset.Content, context.RequestAborted);
        }
    }

    /// <summary>Answers the workflow behind an object.</summary>
    /// <param name="context">The request.</param>
    /// <param name="route">The routed request.</param>
    /// <param name="workflows">The host's workflow client, or <see langword="null"/> where the host has none for this request.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task ServeWorkflowAsync(HttpContext context, ApiRoute route, IWorkflowClient? workflows)
    {
        var type = route.Resource!.Type;
        var cancellation = context.RequestAborted;
        var obj = await registry.GetAsync(new ObjectKey(type, route.Namespace, route.Name!), cancellation)
            ?? throw StatusErrors.NotFound(type, route.Name!);
        var uid = obj.Metadata.Uid ?? string.Empty;
        var instanceId = WorkflowInstanceNames.For(type.GroupResource, uid);
        var body = new JsonObject
        {
            ["kind"] = "WorkflowView",
            ["apiVersion"] = "ui.durablekube.io/v1",
            ["object"] = new JsonObject
            {
                ["apiVersion"] = type.ApiVersion,
                ["kind"] = type.Kind,
                ["namespace"] = route.Namespace,
                ["name"] = route.Name,
                ["uid"] = uid,
            },
            ["instanceId"] = instanceId,
            ["garbageCollectionInstanceId"] = WorkflowInstanceNames.GarbageCollectionPrefix + uid,
            ["observedAt"] = time.GetUtcNow().ToString("O"),
        };

        if (instanceId is null)
        {
            body["message"] = $"{type.GroupResource} have no workflow of their own";
        }
        else if (workflows is null)
        {
            throw StatusErrors.ServiceUnavailable("this host has no workflow client for this request");
        }
        else if (await workflows.GetDetailsAsync(instanceId, HistoryLimit, cancellation) is not { } details)
        {
            body["message"] = "no workflow instance exists for this object (it has not been started, or its history was purged)";
        }
        else
        {
            body["instance"] = Describe(details);
        }

        await ResponseWriter.WriteNodeAsync(context, 200, body, ResponseFormat.Json, cancellation);
    }

    private static JsonObject Describe(WorkflowInstanceDetails details)
    {
        JsonNode? status = null;
        if (details.CustomStatus is { } text)
        {
            try
            {
                status = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                status = text;
            }
        }

        return new JsonObject
        {
            ["name"] = details.Name,
            ["state"] = details.State.ToString(),
            ["runtimeStatus"] = details.RuntimeStatus,
            ["createdAt"] = details.CreatedAt.ToString("O"),
            ["lastUpdatedAt"] = details.LastUpdatedAt.ToString("O"),
            ["customStatus"] = status,
            ["history"] = details.History is null ? null : new JsonArray([.. details.History.Select(e => (JsonNode)new JsonObject
            {
                ["timestamp"] = e.Timestamp.ToString("O"),
                ["type"] = e.Type,
                ["name"] = e.Name,
                ["detail"] = e.Detail,
            })]),
        };
    }
}
