using DurableKube.Domain.Resources;

namespace DurableKube.Api.Routing;

/// <summary>
/// Maps a request path to what it addresses, from the resource registry, as the API server's
/// installer lays its routes out: <c>/api/v1/...</c>, <c>/apis/{group}/{version}/...</c>, then
/// <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>.
/// </summary>
internal static class ApiRouter
{
    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    public static ApiRoute Route(string? path)
    {
        var segments = (path ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return ApiRoute.NotFound;
        }

        switch (segments[0])
        {
            case "version" when segments.Length == 1:
                return new ApiRoute(RouteKind.Version);
            case "livez" or "readyz" or "healthz":
                return new ApiRoute(RouteKind.Health, Check: segments[0], Name: segments.Length > 1 ? segments[1] : null);
            case "openapi":
                return RouteOpenApi(segments);
            case "api":
                if (segments.Length == 1)
                {
                    return new ApiRoute(RouteKind.CoreVersions);
                }

                return ServesGroupVersion(string.Empty, segments[1])
                    ? RouteGroupVersion(string.Empty, segments[1], segments[2..], RouteKind.CoreResources)
                    : ApiRoute.NotFound;
            case "apis":
                if (segments.Length == 1)
                {
                    return new ApiRoute(RouteKind.Groups);
                }

                var group = segments[1];
                if (!ResourceTypes.All.Any(t => t.Group == group && group.Length > 0))
                {
                    return ApiRoute.NotFound;
                }

                if (segments.Length == 2)
                {
                    return new ApiRoute(RouteKind.Group, Group: group);
                }

                return ServesGroupVersion(group, segments[2])
                    ? RouteGroupVersion(group, segments[2], segments[3..], RouteKind.GroupResources)
                    : ApiRoute.NotFound;
            default:
                return ApiRoute.NotFound;
        }
    }

    private static ApiRoute RouteOpenApi(string[] segments)
    {
        if (segments is ["openapi", "v2"])
        {
            return new ApiRoute(RouteKind.OpenApiV2);
        }

        if (segments.Length < 2 || segments[1] != "v3")
        {
            return ApiRoute.NotFound;
        }

        if (segments.Length == 2)
        {
            return new ApiRoute(RouteKind.OpenApiIndex);
        }

        return segments[2..] switch
        {
            ["api", var version] when ServesGroupVersion(string.Empty, version) => new ApiRoute(RouteKind.OpenApiDocument, Group: string.Empty, Version: version),
            ["apis", var group, var version] when group.Length > 0 && ServesGroupVersion(group, version) => new ApiRoute(RouteKind.OpenApiDocument, Group: group, Version: version),
            _ => ApiRoute.NotFound,
        };
    }

    private static bool ServesGroupVersion(string group, string version) =>
        ResourceTypes.All.Any(t => t.Group == group && t.Version == version);

    private static ApiRoute RouteGroupVersion(string group, string version, string[] rest, RouteKind discovery)
    {
        if (rest.Length == 0)
        {
            return new ApiRoute(discovery, Group: group, Version: version);
        }

        var watchPrefix = false;
        if (rest[0] == "watch")
        {
            watchPrefix = true;
            rest = rest[1..];
            if (rest.Length == 0)
            {
                return ApiRoute.NotFound;
            }
        }

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length > 2 && !(rest.Length == 3 && NamespaceSubresources.Contains(rest[2])))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length > 3)
        {
            return ApiRoute.NotFound;
        }

        var type = ResourceTypes.All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == rest[0]);
        if (type is null || (ns is not null && !type.Namespaced) || (ns is null && type.Namespaced && rest.Length > 1))
        {
            return ApiRoute.NotFound;
        }

        return new ApiRoute(
            RouteKind.Resource,
            Group: group,
            Version: version,
            Type: type,
            Namespace: ns,
            Name: rest.Length > 1 ? rest[1] : null,
            Subresource: rest.Length > 2 ? rest[2] : null,
            WatchPrefix: watchPrefix);
    }
}
