using DurableKube.Domain.Kinds;

namespace DurableKube.Api.Routing;

/// <summary>A parsed request path (the API server's RequestInfo).</summary>
/// <param name="Kind">What the path addresses.</param>
/// <param name="Group">The API group, for group and resource paths.</param>
/// <param name="Version">The API version.</param>
/// <param name="Resource">The kind a resource path addresses.</param>
/// <param name="Namespace">The namespace in the path, if any.</param>
/// <param name="Name">The object name, if any.</param>
/// <param name="Subresource">The subresource, e.g. <c>status</c> or <c>log</c>.</param>
/// <param name="WatchPrefix">Whether the legacy <c>/watch/</c> prefix was used.</param>
/// <param name="Check">For health paths: <c>livez</c>, <c>readyz</c> or <c>healthz</c>.</param>
/// <param name="Plural">For metrics paths: the resource (<c>nodes</c> or <c>pods</c>), if any.</param>
internal sealed record ApiRoute(
    RouteKind Kind,
    string? Group = null,
    string? Version = null,
    KindDescriptor? Resource = null,
    string? Namespace = null,
    string? Name = null,
    string? Subresource = null,
    bool WatchPrefix = false,
    string? Check = null,
    string? Plural = null)
{
    public static ApiRoute NotFound { get; } = new(RouteKind.NotFound);
}
