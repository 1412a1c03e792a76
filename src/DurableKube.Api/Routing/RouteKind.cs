namespace DurableKube.Api.Routing;

/// <summary>What a request path addresses.</summary>
internal enum RouteKind
{
    NotFound,
    Version,
    Health,
    CoreVersions,
    CoreResources,
    Groups,
    Group,
    GroupResources,
    OpenApiIndex,
    OpenApiV2,
    OpenApiDocument,
    Resource,
    Metrics,
    Review,
    Dashboard,
    Workflow,
}
