namespace DurableKube.Domain.Authorization;

/// <summary>
/// The authorizer: which requests a role allows, and the API server's words when it does not. Pure functions, after
/// Kubernetes' RBAC defaults: <see cref="ApiRole.Admin"/> is <c>cluster-admin</c>; <see cref="ApiRole.View"/> is the
/// <c>view</c> cluster role (read every resource but Secrets, no exec/attach/port-forward/proxy); every authenticated
/// user has <c>system:discovery</c>, <c>system:public-info-viewer</c> and <c>system:basic-user</c> (discovery, health,
/// version, and the self reviews: who am I, can I).
/// </summary>
public static class AccessPolicy
{
    /// <summary>The verbs of the read-only role.</summary>
    public static readonly IReadOnlyList<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>The group every authenticated user is in.</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    /// <summary>The self reviews every authenticated user may create (group, resource).</summary>
    public static readonly IReadOnlyList<(string Group, string Resource)> SelfReviews =
    [
        ("authentication.k8s.io", "selfsubjectreviews"),
        ("authorization.k8s.io", "selfsubjectaccessreviews"),
        ("authorization.k8s.io", "selfsubjectrulesreviews"),
    ];

    /// <summary>The non-resource paths every authenticated user may get (<c>system:discovery</c>, <c>system:public-info-viewer</c>).</summary>
    public static readonly IReadOnlyList<string> DiscoveryPaths =
        ["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version", "/version/", "/healthz", "/livez", "/readyz"];

    /// <summary>Subresources the read-only role never gets, whatever the verb: they reach into a workload.</summary>
    private static readonly HashSet<string> WorkloadAccess = new(StringComparer.Ordinal) { "exec", "attach", "portforward", "proxy" };

    /// <summary>Decides whether <paramref name="role"/> allows the request.</summary>
    /// <param name="role">The user's role.</param>
    /// <param name="request">What the request asks.</param>
    /// <returns><see langword="true"/> if allowed.</returns>
    public static bool Allows(ApiRole role, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (role == ApiRole.Admin)
        {
            return true;
        }

        if (!request.IsResourceRequest)
        {
            return request.Verb is "get" or "head" && DiscoveryPaths.Any(p => PathMatches(p, request.Path ?? "/"));
        }

        if (request.Verb == "create" && request.Subresource is null
            && SelfReviews.Any(r => r.Group == request.Group && r.Resource == request.Resource))
        {
            return true;
        }

        if (role == ApiRole.None)
        {
            return false;
        }

        // "*" asks about every resource, Secrets included, which the read-only role does not read.
        return ReadVerbs.Contains(request.Verb)
            && request.Resource != "*"
            && !(request.Group.Length == 0 && request.Resource == "secrets")
            && (request.Subresource is null || !WorkloadAccess.Contains(request.Subresource));
    }

    /// <summary>
    /// The API server's reason for a refusal (<c>forbiddenMessage</c> of k8s.io/apiserver's authorization filter), e.g.
    /// <c>User "viewer" cannot create resource "pods" in API group "" in the namespace "default"</c>.
    /// </summary>
    /// <param name="user">The user's name.</param>
    /// <param name="request">What the request asked.</param>
    /// <returns>The reason.</returns>
    public static string Reason(string user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsResourceRequest)
        {
            return $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        }

        var resource = request.Subresource is null ? request.Resource : request.Resource + "/" + request.Subresource;
        return request.Namespace is { } ns
            ? $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" in the namespace \"{ns}\""
            : $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.Group}\" at the cluster scope";
    }

    /// <summary>
    /// The whole message of a 403, as the API server's <c>NewForbidden</c> words it: <c>pods is forbidden: ...</c>,
    /// <c>pods "web" is forbidden: ...</c>, <c>deployments.apps is forbidden: ...</c>, or <c>forbidden: ...</c> for a path.
    /// </summary>
    /// <param name="user">The user's name.</param>
    /// <param name="request">What the request asked.</param>
    /// <returns>The message.</returns>
    public static string ForbiddenMessage(string user, RequestAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = Reason(user, request);
        if (!request.IsResourceRequest)
        {
            return "forbidden: " + reason;
        }

        var qualified = request.Group.Length == 0 ? request.Resource : request.Resource + "." + request.Group;
        return request.Name is { } name ? $"{qualified} \"{name}\" is forbidden: {reason}" : $"{qualified} is forbidden: {reason}";
    }

    /// <summary>
    /// The rules a role grants (what <c>kubectl auth can-i --list</c> shows, a SelfSubjectRulesReview's status):
    /// resource rules (verbs, API groups, resources) and non-resource rules (verbs, paths).
    /// </summary>
    /// <param name="role">The role.</param>
    /// <param name="served">The resources the server serves (group, resource), for the read-only role's list.</param>
    /// <returns>The resource rules and the non-resource rules.</returns>
    public static (IReadOnlyList<AccessRule> Resources, IReadOnlyList<AccessRule> Paths) Rules(ApiRole role, IEnumerable<(string Group, string Resource)> served)
    {
        ArgumentNullException.ThrowIfNull(served);
        var reviews = SelfReviews.GroupBy(r => r.Group, StringComparer.Ordinal)
            .Select(g => new AccessRule(["create"], [g.Key], [.. g.Select(r => r.Resource)]))
            .ToList();
        if (role == ApiRole.Admin)
        {
            return ([new AccessRule(["*"], ["*"], ["*"]), .. reviews], [new AccessRule(["*"], [], ["*"]), new AccessRule(["get"], [], DiscoveryPaths)]);
        }

        if (role == ApiRole.None)
        {
            return (reviews, [new AccessRule(["get"], [], DiscoveryPaths)]);
        }

        var readable = served
            .Where(r => !(r.Group.Length == 0 && r.Resource == "secrets"))
            .GroupBy(r => r.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AccessRule(ReadVerbs, [g.Key], [.. g.Select(r => r.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]));
        return ([.. reviews, .. readable], [new AccessRule(["get"], [], DiscoveryPaths)]);
    }

    /// <summary>Whether a non-resource rule's path (exact, or a prefix ending in <c>*</c>) covers <paramref name="path"/>.</summary>
    /// <param name="pattern">The rule's path.</param>
    /// <param name="path">The request's path.</param>
    /// <returns><see langword="true"/> if covered.</returns>
    public static bool PathMatches(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        return pattern.EndsWith('*') ? path.StartsWith(pattern[..^1], StringComparison.Ordinal) : path == pattern;
    }
}
