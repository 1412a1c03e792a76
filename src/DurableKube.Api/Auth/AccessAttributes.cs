using DurableKube.Api.Resources;
using DurableKube.Api.Routing;
using DurableKube.Domain.Authorization;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Auth;

/// <summary>
/// A routed request's authorization attributes, as the API server's <c>RequestInfoFactory</c> and
/// <c>GetAuthorizerAttributes</c> derive them: the verb from the method (and <c>watch</c>, and whether a name is given),
/// exec, attach and port-forward as <c>create</c> whatever the method (a WebSocket upgrade is a GET), everything that
/// is not a resource as a path with the lower-case method.
/// </summary>
internal static class AccessAttributes
{
    public static RequestAttributes Of(ApiRoute route, HttpRequest request)
    {
        var method = request.Method.ToUpperInvariant();
        switch (route.Kind)
        {
            case RouteKind.Resource:
                var type = route.Resource!.Type;
                var watch = route.WatchPrefix || RequestOptions.Bool(request.Query, "watch");
                return RequestAttributes.ForResource(ResourceVerb(method, route.Name is not null, watch, route.Subresource), route.Group ?? string.Empty, type.Plural, route.Subresource, route.Namespace, route.Name);
            case RouteKind.Metrics when route.Plural is not null:
                return RequestAttributes.ForResource(ResourceVerb(method, route.Name is not null, RequestOptions.Bool(request.Query, "watch"), null), route.Group!, route.Plural, null, route.Namespace, route.Name);
            case RouteKind.Workflow:
                // Reading the workflow behind an object is reading the object: a get of its "workflow" subresource.
                return RequestAttributes.ForResource("get", route.Group ?? string.Empty, route.Resource!.Type.Plural, route.Subresource, route.Namespace, route.Name);
            case RouteKind.Review when route.Plural is not null:
                return RequestAttributes.ForResource(ResourceVerb(method, false, false, null), route.Group!, route.Plural);
            default:
                return RequestAttributes.ForPath(method.ToLowerInvariant(), request.Path.Value ?? "/");
        }
    }

    /// <summary>The verb of a resource request.</summary>
    internal static string ResourceVerb(string method, bool named, bool watch, string? subresource)
    {
        if (subresource is "exec" or "attach" or "portforward")
        {
            return "create";
        }

        return method switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => named || subresource is not null ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => named ? "delete" : "deletecollection",
            _ => method.ToLowerInvariant(),
        };
    }
}
