using DurableKube.Domain.Authorization;

namespace DurableKube.Domain.Tests.Authorization;

/// <summary>What each role allows, and the API server's words when it does not.</summary>
public sealed class AccessPolicyTests
{
    [Theory]
    [InlineData(ApiRole.Admin, "create", "", "pods", null, true)]
    [InlineData(ApiRole.Admin, "delete", "", "secrets", null, true)]
    [InlineData(ApiRole.Admin, "create", "", "pods", "exec", true)]
    [InlineData(ApiRole.View, "get", "", "pods", null, true)]
    [InlineData(ApiRole.View, "list", "apps", "deployments", null, true)]
    [InlineData(ApiRole.View, "watch", "", "nodes", null, true)]
    [InlineData(ApiRole.View, "get", "", "pods", "log", true)]
    [InlineData(ApiRole.View, "get", "apps", "deployments", "scale", true)]
    [InlineData(ApiRole.View, "list", "metrics.k8s.io", "pods", null, true)]
    [InlineData(ApiRole.View, "create", "", "pods", null, false)]
    [InlineData(ApiRole.View, "update", "", "pods", "status", false)]
    [InlineData(ApiRole.View, "patch", "apps", "deployments", "scale", false)]
    [InlineData(ApiRole.View, "delete", "", "pods", null, false)]
    [InlineData(ApiRole.View, "deletecollection", "", "pods", null, false)]
    [InlineData(ApiRole.View, "get", "", "secrets", null, false)]
    [InlineData(ApiRole.View, "list", "", "secrets", null, false)]
    [InlineData(ApiRole.View, "get", "", "pods", "proxy", false)]
    [InlineData(ApiRole.View, "get", "", "services", "proxy", false)]
    [InlineData(ApiRole.View, "create", "", "pods", "exec", false)]
    [InlineData(ApiRole.View, "create", "", "pods", "attach", false)]
    [InlineData(ApiRole.View, "create", "", "pods", "portforward", false)]
    [InlineData(ApiRole.View, "get", "", "*", null, false)]
    [InlineData(ApiRole.View, "*", "", "pods", null, false)]
    [InlineData(ApiRole.View, "create", "authentication.k8s.io", "selfsubjectreviews", null, true)]
    [InlineData(ApiRole.View, "create", "authorization.k8s.io", "selfsubjectaccessreviews", null, true)]
    [InlineData(ApiRole.View, "create", "authorization.k8s.io", "selfsubjectrulesreviews", null, true)]
    [InlineData(ApiRole.View, "create", "authorization.k8s.io", "subjectaccessreviews", null, false)]
    public void A_role_allows_resource_requests_as_its_cluster_role_does(ApiRole role, string verb, string group, string resource, string? subresource, bool allowed) =>
        Assert.Equal(allowed, AccessPolicy.Allows(role, RequestAttributes.ForResource(verb, group, resource, subresource, "default")));

    [Theory]
    [InlineData(ApiRole.View, "get", "/api", true)]
    [InlineData(ApiRole.View, "get", "/apis/apps/v1", true)]
    [InlineData(ApiRole.View, "get", "/openapi/v3/api/v1", true)]
    [InlineData(ApiRole.View, "get", "/version", true)]
    [InlineData(ApiRole.View, "head", "/readyz", true)]
    [InlineData(ApiRole.View, "get", "/metrics", false)]
    [InlineData(ApiRole.View, "post", "/api", false)]
    [InlineData(ApiRole.View, "get", "/logs", false)]
    [InlineData(ApiRole.Admin, "get", "/metrics", true)]
    public void Paths_are_open_to_every_user_for_discovery_only(ApiRole role, string verb, string path, bool allowed) =>
        Assert.Equal(allowed, AccessPolicy.Allows(role, RequestAttributes.ForPath(verb, path)));

    [Theory]
    [InlineData("create", "", "pods", null, "default", null, "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"")]
    [InlineData("delete", "", "pods", null, "default", "web", "pods \"web\" is forbidden: User \"viewer\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"")]
    [InlineData("create", "", "pods", "exec", "team", "web", "pods \"web\" is forbidden: User \"viewer\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"team\"")]
    [InlineData("list", "", "secrets", null, null, null, "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" at the cluster scope")]
    [InlineData("create", "apps", "deployments", null, "default", null, "deployments.apps is forbidden: User \"viewer\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"default\"")]
    public void A_refusal_reads_as_the_API_servers(string verb, string group, string resource, string? subresource, string? ns, string? name, string message) =>
        Assert.Equal(message, AccessPolicy.ForbiddenMessage("viewer", RequestAttributes.ForResource(verb, group, resource, subresource, ns, name)));

    [Fact]
    public void A_refused_path_reads_as_the_API_servers() =>
        Assert.Equal("forbidden: User \"viewer\" cannot get path \"/metrics\"", AccessPolicy.ForbiddenMessage("viewer", RequestAttributes.ForPath("get", "/metrics")));

    [Fact]
    public void The_viewers_rules_list_every_served_resource_but_secrets_read_only()
    {
        var (resources, paths) = AccessPolicy.Rules(ApiRole.View, [("", "pods"), ("", "secrets"), ("apps", "deployments"), ("", "configmaps")]);

        var core = Assert.Single(resources, r => r.Groups.SequenceEqual([""]));
        Assert.Equal(["configmaps", "pods"], core.Targets);
        Assert.Equal(["get", "list", "watch"], core.Verbs);
        Assert.Contains(resources, r => r.Groups.SequenceEqual(["apps"]) && r.Targets.SequenceEqual(["deployments"]));
        Assert.Contains(resources, r => r.Verbs.SequenceEqual(["create"]) && r.Targets.Contains("selfsubjectaccessreviews"));
        Assert.DoesNotContain(resources, r => r.Targets.Contains("secrets") || r.Verbs.Contains("*"));
        Assert.Contains("/apis/*", Assert.Single(paths).Targets);
    }

    [Fact]
    public void The_admins_rules_are_everything()
    {
        var (resources, paths) = AccessPolicy.Rules(ApiRole.Admin, [("", "pods")]);

        Assert.Contains(resources, r => r.Verbs.SequenceEqual(["*"]) && r.Groups.SequenceEqual(["*"]) && r.Targets.SequenceEqual(["*"]));
        Assert.Contains(paths, r => r.Verbs.SequenceEqual(["*"]) && r.Targets.SequenceEqual(["*"]));
    }
}
