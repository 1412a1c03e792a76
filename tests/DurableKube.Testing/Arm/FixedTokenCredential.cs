using Azure.Core;

namespace DurableKube.Testing.Arm;

/// <summary>A credential that hands out one fixed token, for clients of the <see cref="FakeArmServer"/>.</summary>
public sealed class FixedTokenCredential : TokenCredential
{
    /// <summary>The token it hands out.</summary>
    public const string Token = "fake-arm-token";

    private int _requests;

    /// <summary>Gets how many tokens were asked for.</summary>
    public int Requests => _requests;

    /// <inheritdoc/>
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    /// <inheritdoc/>
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
