namespace DurableKube.Domain.Authorization;

/// <summary>
/// What a request asks to do, as the API server's authorizer sees it (<c>authorizer.Attributes</c>): a verb on a
/// resource (group, resource, subresource, namespace, name) or a verb on a non-resource path.
/// </summary>
/// <param name="Verb">The verb: get, list, watch, create, update, patch, delete, deletecollection (resource requests) or
/// the lower-case HTTP method (non-resource requests).</param>
/// <param name="IsResourceRequest">Whether the request addresses a resource rather than a path.</param>
/// <param name="Group">The API group (<c>""</c> for the core group).</param>
/// <param name="Resource">The resource (plural), e.g. <c>pods</c>.</param>
/// <param name="Subresource">The subresource, e.g. <c>log</c> or <c>exec</c>.</param>
/// <param name="Namespace">The namespace, for namespaced requests.</param>
/// <param name="Name">The object's name, if the request names one.</param>
/// <param name="Path">The request path, for non-resource requests.</param>
public sealed record RequestAttributes(
    string Verb,
    bool IsResourceRequest,
    string Group = "",
    string? Resource = null,
    string? Subresource = null,
    string? Namespace = null,
    string? Name = null,
    string? Path = null)
{
    /// <summary>Attributes of a request for a resource.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="group">The API group.</param>
    /// <param name="resource">The resource.</param>
    /// <param name="subresource">The subresource, if any.</param>
    /// <param name="namespace">The namespace, if any.</param>
    /// <param name="name">The name, if any.</param>
    /// <returns>The attributes.</returns>
    public static RequestAttributes ForResource(string verb, string group, string resource, string? subresource = null, string? @namespace = null, string? name = null) =>
        new(verb, true, group, resource, NullIfEmpty(subresource), NullIfEmpty(@namespace), NullIfEmpty(name));

    /// <summary>Attributes of a request for a path that is no resource (discovery, OpenAPI, health).</summary>
    /// <param name="verb">The verb (the lower-case HTTP method).</param>
    /// <param name="path">The path.</param>
    /// <returns>The attributes.</returns>
    public static RequestAttributes ForPath(string verb, string path) => new(verb, false, Path: path);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
