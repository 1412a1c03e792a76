using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DurableKube.Api.Tests.Support;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DurableKube.Api.Tests.Auth;

/// <summary>
/// Microsoft Entra ID access tokens, signed here with a key the tenant's metadata (a static stand-in, no network)
/// publishes: the user and role come from the token's claims, and a token with the wrong audience, issuer, key or
/// lifetime is Unauthorized.
/// </summary>
public sealed class EntraAuthTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "11111111-2222-3333-4444-555555555555";
    private const string Audience = "api://durablekube";
    private static readonly string Issuer = $"https://login.microsoftonline.com/{Tenant}/v2.0";
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private ApiHost _api = null!;

    public async Task InitializeAsync()
    {
        var metadata = new OpenIdConnectConfiguration { Issuer = Issuer };
        metadata.SigningKeys.Add(new RsaSecurityKey(_rsa) { KeyId = "tenant-key" });
        _api = await ApiHost.StartAsync(
            new()
            {
                ["Auth:Entra:TenantId"] = Tenant,
                ["Auth:Entra:Audience"] = Audience,
            },
            services: s => s.AddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata)));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _rsa.Dispose();
        _stranger.Dispose();
    }

    private string Token(string[] roles, string? audience = Audience, string? issuer = null, RSA? key = null, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["oid"] = "aaaaaaaa-0000-0000-0000-000000000001",
            ["upn"] = "ada@contoso.example",
            ["groups"] = new[] { "ops" },
            ["roles"] = roles,
        };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _rsa) { KeyId = key is null ? "tenant-key" : "stranger" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string url, string token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _api.Client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString(), response.Headers);
    }

    [Fact]
    public async Task A_viewer_token_is_the_user_its_claims_name()
    {
        var token = Token(["DurableKube.View"]);

        var review = (await SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", token, "{}")).Json["status"]!["userInfo"]!;
        Assert.Equal("ada@contoso.example", review["username"]!.GetValue<string>());
        Assert.Equal("aaaaaaaa-0000-0000-0000-000000000001", review["uid"]!.GetValue<string>());
        Assert.Equal(["ops", "system:authenticated"], review["groups"]!.AsArray().Select(g => g!.GetValue<string>()));

        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods", token)).Code);
        var refused = (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", token, KubernetesJson.Serialize(ApiHost.Pod("web")))).AssertStatus(403, "Forbidden");
        Assert.Equal("pods is forbidden: User \"ada@contoso.example\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"", refused.Message);
    }

    [Fact]
    public async Task An_admin_token_creates() =>
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", Token(["DurableKube.Admin"]), KubernetesJson.Serialize(ApiHost.Pod("web")))).Code);

    [Fact]
    public async Task A_token_without_an_app_role_may_only_discover_and_ask()
    {
        var token = Token([]);

        Assert.Equal(200, (await SendAsync(HttpMethod.Get, "/api", token)).Code);
        (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods", token)).AssertStatus(403, "Forbidden");
        Assert.Equal(201, (await SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", token, "{}")).Code);
    }

    public static TheoryData<string> Refused => ["audience", "issuer", "key", "expired", "garbage"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_token_the_tenant_did_not_issue_for_this_API_is_Unauthorized(string wrong)
    {
        var token = wrong switch
        {
            "audience" => Token(["DurableKube.Admin"], audience: "api://another-app"),
            "issuer" => Token(["DurableKube.Admin"], issuer: "https://login.microsoftonline.com/99999999-0000-0000-0000-000000000000/v2.0"),
            "key" => Token(["DurableKube.Admin"], key: _stranger),
            "expired" => Token(["DurableKube.Admin"], expires: DateTime.UtcNow.AddHours(-1)),
            _ => Token(["DurableKube.Admin"])[..^10] + "AAAAAAAAAA",
        };

        (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods", token)).AssertStatus(401, "Unauthorized");
    }
}
