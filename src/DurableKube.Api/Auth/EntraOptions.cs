namespace DurableKube.Api.Auth;

/// <summary>
/// Microsoft Entra ID access tokens (<c>Auth__Entra__*</c>): JWTs validated against the tenant's OpenID Connect metadata
/// (signing keys, issuer) and the API's audience; the user is the token's <c>upn</c> (else <c>preferred_username</c>, else
/// <c>oid</c>), its uid the <c>oid</c>, its groups the <c>groups</c> claim, its role the app role in the <c>roles</c> claim.
/// </summary>
public sealed class EntraOptions
{
    /// <summary>Gets or sets the directory (tenant) id.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// Gets or sets the authority; default <c>https://login.microsoftonline.com/{TenantId}/v2.0</c>. Its
    /// <c>/.well-known/openid-configuration</c> gives the signing keys and the issuer.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Gets or sets the audiences a token must have (comma separated): the API's application id URI and/or client id.</summary>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the app role that makes a caller an administrator. Default <c>DurableKube.Admin</c>.</summary>
    public string AdminRole { get; set; } = "DurableKube.Admin";

    /// <summary>Gets or sets the app role that makes a caller a viewer. Default <c>DurableKube.View</c>.</summary>
    public string ViewRole { get; set; } = "DurableKube.View";

    /// <summary>Gets the authority to read metadata from.</summary>
    internal string EffectiveAuthority => string.IsNullOrWhiteSpace(Authority)
        ? $"https://login.microsoftonline.com/{TenantId}/v2.0"
        : Authority.TrimEnd('/');
}
