using System.Security.Claims;
using DurableKube.Domain.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DurableKube.Api.Auth;

/// <summary>
/// Microsoft Entra ID access tokens (<see cref="EntraOptions"/>): a JWT signed by one of the tenant's keys (from its
/// OpenID Connect metadata, refreshed as the metadata manager decides and once at once when a token names an unknown
/// key), issued by the tenant (v2 or v1 issuer), for the configured audience, within its lifetime. The user is the
/// token's <c>upn</c>, else <c>preferred_username</c>, else <c>oid</c>; the uid its <c>oid</c>; the groups its
/// <c>groups</c>; the role the app role in <c>roles</c> (admin before view; neither: no role, so discovery and the
/// self reviews only). A token that is no JWT is left to the other authenticators.
/// </summary>
internal sealed class EntraTokenAuthenticator : IBearerTokenAuthenticator
{
    private readonly EntraOptions _options;
    private readonly IConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly string[] _audiences;

    public EntraTokenAuthenticator(EntraOptions options, IConfigurationManager<OpenIdConnectConfiguration> metadata)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _metadata = metadata;
        _audiences = (options.Audience ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (_audiences.Length == 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(AuthOptions.SectionName, typeof(EntraOptions), ["Auth:Entra:Audience is required: the API's application id URI or client id."]);
        }
    }

    public async ValueTask<ApiUser?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!_handler.CanReadToken(token))
        {
            return null;
        }

        var result = await ValidateAsync(token, cancellationToken);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: look at the metadata again, once.
            _metadata.RequestRefresh();
            result = await ValidateAsync(token, cancellationToken);
        }

        return result.IsValid ? UserOf(result.ClaimsIdentity, _options) : null;
    }

    /// <summary>The user a validated token stands for.</summary>
    internal static ApiUser UserOf(ClaimsIdentity identity, EntraOptions options)
    {
        string? Claim(string type) => identity.FindFirst(type)?.Value;
        var oid = Claim("oid");
        var name = Claim("upn") ?? Claim("preferred_username") ?? oid ?? Claim("sub") ?? "unknown";
        var roles = identity.FindAll("roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var role = roles.Contains(options.AdminRole) ? ApiRole.Admin : roles.Contains(options.ViewRole) ? ApiRole.View : ApiRole.None;
        return ApiUser.Of(name, oid, identity.FindAll("groups").Select(c => c.Value), role);
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var metadata = await _metadata.GetConfigurationAsync(cancellationToken);
        var issuers = new List<string> { metadata.Issuer };
        if (!string.IsNullOrEmpty(_options.TenantId))
        {
            // v1.0 access tokens (the default of an app registration) carry the STS issuer.
            issuers.Add($"https://sts.windows.net/{_options.TenantId}/");
            issuers.Add($"https://login.microsoftonline.com/{_options.TenantId}/v2.0");
        }

        return await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuers = issuers,
            ValidAudiences = _audiences,
            IssuerSigningKeys = metadata.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        });
    }
}
