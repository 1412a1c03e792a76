using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using k8s;

namespace DurableKube.Api.Tests.Auth;

/// <summary>The door: 401 without a valid token, open health and version, 403 for what a role does not allow, and the self reviews.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string AdminToken = "admin-token-0123456789abcdef";
    private const string ViewerToken = "viewer-token-0123456789abcdef";
    private ApiHost _api = null!;

    public async Task InitializeAsync() => _api = await ApiHost.StartAsync(new()
    {
        ["Auth:Tokens:admin:Token"] = AdminToken,
        ["Auth:Tokens:admin:User"] = "admin",
        ["Auth:Tokens:admin:Groups"] = "system:masters",
        ["Auth:Tokens:admin:Role"] = "admin",
        ["Auth:Tokens:viewer:Token"] = ViewerToken,
        ["Auth:Tokens:viewer:User"] = "viewer",
        ["Auth:Tokens:viewer:Role"] = "view",
    });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<ApiResponse> SendAsync(HttpMethod method, string url, string? token, string? body = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _api.Client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString(), response.Headers);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("not-a-token-anyone-has-0123", null)]
    [InlineData(null, "Basic YWRtaW46YWRtaW4=")]
    [InlineData(null, "Bearer")]
    public async Task A_request_without_a_valid_token_is_Unauthorized(string? token, string? authorization)
    {
        foreach (var path in new[] { "/api/v1/namespaces/default/pods", "/api", "/apis", "/openapi/v2", "/apis/apps/v1/deployments" })
        {
            var response = (await SendAsync(HttpMethod.Get, path, token, authorization: authorization)).AssertStatus(401, "Unauthorized");
            Assert.Equal("Unauthorized", response.Message);
        }

        (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", token, KubernetesJson.Serialize(ApiHost.Pod("intruder")), authorization)).AssertStatus(401, "Unauthorized");
        Assert.Equal(0, await _api.CountAsync(ResourceTypes.Pods));
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    [InlineData("/version")]
    public async Task Health_and_version_are_open_to_anyone(string path) =>
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, path, token: null)).Code);

    [Fact]
    public async Task A_wrong_token_is_refused_even_where_anonymous_callers_are_welcome() =>
        (await SendAsync(HttpMethod.Get, "/version", "not-a-token-anyone-has-0123")).AssertStatus(401, "Unauthorized");

    [Fact]
    public async Task The_viewer_reads_but_may_not_create_with_the_API_servers_message()
    {
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods", ViewerToken)).Code);
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/apis", ViewerToken)).Code);

        var refused = (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", ViewerToken, KubernetesJson.Serialize(ApiHost.Pod("web")))).AssertStatus(403, "Forbidden");

        Assert.Equal("pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", refused.Message);
        Assert.Equal("pods", refused.Json["details"]?["kind"]?.GetValue<string>());
        Assert.Equal(0, await _api.CountAsync(ResourceTypes.Pods));
        (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/secrets", ViewerToken)).AssertStatus(403, "Forbidden");
        var delete = (await SendAsync(HttpMethod.Delete, "/apis/apps/v1/namespaces/default/deployments/web", ViewerToken)).AssertStatus(403, "Forbidden");
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"viewer\" cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"default\"", delete.Message);
    }

    [Fact]
    public async Task The_admin_creates()
    {
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", AdminToken, KubernetesJson.Serialize(ApiHost.Pod("web")))).Code);
        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/secrets", AdminToken)).Code);
    }

    [Fact]
    public async Task Whoami_answers_the_callers_user_and_groups()
    {
        var review = (await SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", ViewerToken, """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""")).Json;

        Assert.Equal("SelfSubjectReview", review["kind"]?.GetValue<string>());
        Assert.Equal("viewer", review["status"]?["userInfo"]?["username"]?.GetValue<string>());
        Assert.Equal(["system:authenticated"], review["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
    }

    [Theory]
    [InlineData(ViewerToken, "list", "pods", true)]
    [InlineData(ViewerToken, "create", "pods", false)]
    [InlineData(ViewerToken, "get", "secrets", false)]
    [InlineData(AdminToken, "create", "pods", true)]
    public async Task Can_i_answers_from_the_callers_role(string token, string verb, string resource, bool allowed)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SelfSubjectAccessReview",
            ["spec"] = new JsonObject { ["resourceAttributes"] = new JsonObject { ["namespace"] = "default", ["verb"] = verb, ["resource"] = resource } },
        };

        var response = await SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", token, body.ToJsonString());

        Assert.Equal(201, response.Code);
        Assert.Equal(allowed, response.Json["status"]?["allowed"]?.GetValue<bool>());
    }

    [Fact]
    public async Task Can_i_reads_the_protobuf_body_kubectl_sends()
    {
        // k8s\0, runtime.Unknown{typeMeta, raw: SelfSubjectAccessReview{spec{resourceAttributes{namespace, verb, resource}}}}.
        static byte[] Field(int number, byte[] value) => [(byte)((number << 3) | 2), (byte)value.Length, .. value];
        static byte[] Text(int number, string value) => Field(number, Encoding.UTF8.GetBytes(value));
        byte[] attributes = [.. Text(1, "default"), .. Text(2, "create"), .. Text(5, "pods")];
        var raw = Field(2, Field(1, attributes));
        byte[] body = [0x6b, 0x38, 0x73, 0x00, .. Field(1, [.. Text(1, "authorization.k8s.io/v1"), .. Text(2, "SelfSubjectAccessReview")]), .. Field(2, raw)];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ViewerToken);

        using var response = await _api.Client.SendAsync(request);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.False(review["status"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("create", review["spec"]!["resourceAttributes"]!["verb"]!.GetValue<string>());
    }

    [Fact]
    public async Task Can_i_list_answers_the_viewers_rules()
    {
        var response = await SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", ViewerToken, """{"spec":{"namespace":"default"}}""");

        Assert.Equal(201, response.Code);
        var rules = response.Json["status"]!["resourceRules"]!.AsArray();
        Assert.Contains(rules, r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() == "pods") && r["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).SequenceEqual(["get", "list", "watch"]));
        Assert.DoesNotContain(rules, r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() == "secrets"));
    }

    [Fact]
    public async Task The_review_groups_are_in_discovery()
    {
        var groups = (await SendAsync(HttpMethod.Get, "/apis", ViewerToken)).Json["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("authentication.k8s.io", groups);
        Assert.Contains("authorization.k8s.io", groups);

        var resources = (await SendAsync(HttpMethod.Get, "/apis/authorization.k8s.io/v1", ViewerToken)).Json["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>());
        Assert.Equal(["selfsubjectaccessreviews", "selfsubjectrulesreviews"], resources);
    }

    [Fact]
    public async Task Without_any_token_configured_nothing_but_the_public_paths_answers()
    {
        await using var closed = await ApiHost.StartAsync(new() { ["Auth:Disabled"] = "false" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);

        using var response = await closed.Client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await closed.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }
}
