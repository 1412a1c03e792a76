using DurableKube.Domain.Kinds;

namespace DurableKube.Api.Routing;

/// <summary>
/// Maps a request path to what it addresses, from the kind registry, as the API server's
/// installer lays its routes out: <c>/api/v1/...</c>, <c>/apis/{group}/{version}/...</c>, then
/// <c>[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]</c>.
/// </summary>
/// <param name="kinds">The served kinds.</param>
internal sealed class ApiRouter(KindRegistry kinds)
{
    public ApiRoute Route(string? path)
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
            case Dashboard.DashboardHandler.Segment:
                return RouteDashboard(segments[1..]);
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
                if (group == Metrics.MetricsHandler.Group)
                {
                    return RouteMetrics(segments[2..]);
                }

                if (Auth.SelfReviewHandler.Groups.Contains(group))
                {
                    return segments[2..] switch
                    {
                        [] => new ApiRoute(RouteKind.Review, Group: group),
                        [Auth.SelfReviewHandler.Version] => new ApiRoute(RouteKind.Review, Group: group, Version: segments[2]),
                        [Auth.SelfReviewHandler.Version, var plural] when Auth.SelfReviewHandler.Serves(group, plural) =>
                            new ApiRoute(RouteKind.Review, Group: group, Version: segments[2], Plural: plural),
                        _ => ApiRoute.NotFound,
                    };
                }

                if (group.Length == 0 || !kinds.Groups.Contains(group, StringComparer.Ordinal))
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

    /// <summary>
    /// The paths of <c>metrics.k8s.io</c> (served by the API itself, not from the kind registry):
    /// <c>[v1beta1[/nodes[/{name}]|/pods|/namespaces/{ns}/pods[/{name}]]]</c>.
    /// </summary>
    private static ApiRoute RouteMetrics(string[] rest)
    {
        var group = Metrics.MetricsHandler.Group;
        return rest switch
        {
            [] => new ApiRoute(RouteKind.Metrics, Group: group),
            [Metrics.MetricsHandler.Version] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0]),
            [Metrics.MetricsHandler.Version, "nodes"] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0], Plural: "nodes"),
            [Metrics.MetricsHandler.Version, "nodes", var name] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0], Plural: "nodes", Name: name),
            [Metrics.MetricsHandler.Version, "pods"] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0], Plural: "pods"),
            [Metrics.MetricsHandler.Version, "namespaces", var ns, "pods"] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0], Plural: "pods", Namespace: ns),
            [Metrics.MetricsHandler.Version, "namespaces", var ns, "pods", var name] => new ApiRoute(RouteKind.Metrics, Group: group, Version: rest[0], Plural: "pods", Namespace: ns, Name: name),
            _ => ApiRoute.NotFound,
        };
    }

    /// <summary>
    /// The dashboard's paths: <c>/ui/api/workflow/{resource[.group]}/[{namespace}/]{name}</c> (the workflow behind an
    /// object, a <c>get</c> of the subresource <c>workflow</c> for authorization), and every other <c>/ui/...</c> path a
    /// file of the single-page app (<see cref="ApiRoute.Name"/> its path under <c>/ui/</c>).
    /// </summary>
    private ApiRoute RouteDashboard(string[] rest)
    {
        if (rest is not ["api", ..])
        {
            return new ApiRoute(RouteKind.Dashboard, Name: string.Join('/', rest));
        }

        if (rest is not ["api", "workflow", var groupResource, .. var names] || names.Length is < 1 or > 2 || kinds.Find(groupResource) is not { } kind)
        {
            return ApiRoute.NotFound;
        }

        if (kind.Type.Namespaced != (names.Length == 2))
        {
            return ApiRoute.NotFound;
        }

        return new ApiRoute(
            RouteKind.Workflow,
            Group: kind.Type.Group,
            Version: kind.Type.Version,
            Resource: kind,
            Namespace: names.Length == 2 ? names[0] : null,
            Name: names[^1],
            Subresource: Dashboard.DashboardHandler.WorkflowSubresource);
    }

    private ApiRoute RouteOpenApi(string[] segments)
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

    private bool ServesGroupVersion(string group, string version) => kinds.ServesGroupVersion(group, version);

    private ApiRoute RouteGroupVersion(string group, string version, string[] rest, RouteKind discovery)
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
        if (rest[0] == "namespaces" && rest.Length > 2 && !(rest.Length == 3 && kinds.Find("namespaces")?.Has(rest[2]) == true))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        // {resource}/{name}/proxy/{path...}: the proxy subresource takes the rest of the path.
        if (rest.Length > 3 && rest[2] != "proxy")
        {
            return ApiRoute.NotFound;
        }

        var kind = kinds.Find(group, version, rest[0]);
        if (kind is null || (ns is not null && !kind.Type.Namespaced) || (ns is null && kind.Type.Namespaced && rest.Length > 1))
        {
            return ApiRoute.NotFound;
        }

        return new ApiRoute(
            RouteKind.Resource,
            Group: group,
            Version: version,
            Resource: kind,
            Namespace: ns,
            Name: rest.Length > 1 ? rest[1] : null,
            Subresource: rest.Length > 2 ? rest[2] : null,
            WatchPrefix: watchPrefix);
    }
}
