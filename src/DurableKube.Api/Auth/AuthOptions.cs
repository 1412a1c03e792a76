namespace DurableKube.Api.Auth;

/// <summary>
/// Who may use the API, bound from the configuration section <see cref="SectionName"/>: static bearer tokens
/// (<c>Auth__Tokens__&lt;name&gt;__Token</c> or <c>__TokenFile</c>, <c>__User</c>, <c>__Groups</c>, <c>__Role</c>), Microsoft
/// Entra ID access tokens (<c>Auth__Entra__*</c>), or neither: then every request but the public ones answers 401.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Auth";

    /// <summary>
    /// Gets or sets a value indicating whether authentication and authorization are off: every request is served as an
    /// administrator. Only for tests that need an open API; never the default.
    /// </summary>
    public bool Disabled { get; set; }

    /// <summary>Gets the static bearer tokens, by a name of the operator's choosing.</summary>
    public Dictionary<string, StaticTokenOptions> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the Microsoft Entra ID settings; unset, Entra ID tokens are not accepted.</summary>
    public EntraOptions? Entra { get; set; }
}
