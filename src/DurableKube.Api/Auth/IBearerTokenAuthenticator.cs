namespace DurableKube.Api.Auth;

/// <summary>One way of turning a bearer token into a user (kube-apiserver's token authenticators).</summary>
public interface IBearerTokenAuthenticator
{
    /// <summary>Authenticates a bearer token.</summary>
    /// <param name="token">The token, as the client sent it after <c>Bearer </c>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The user, or <see langword="null"/> if this authenticator does not accept the token.</returns>
    ValueTask<ApiUser?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}
