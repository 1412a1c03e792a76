using Azure.Core;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>
/// A credential that hands out one bearer token it was given (<c>Nodes__&lt;name&gt;__AccessToken</c>): for an ARM
/// emulator or a test's fake ARM, never for Azure, whose tokens expire within the hour.
/// </summary>
/// <param name="token">The token.</param>
public sealed class AccessTokenCredential(string token) : TokenCredential
{
    /// <inheritdoc/>
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    /// <inheritdoc/>
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
