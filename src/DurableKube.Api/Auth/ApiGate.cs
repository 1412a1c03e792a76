using System.Text;
using DurableKube.Api.Errors;
using DurableKube.Domain.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Auth;

/// <summary>
/// The door of the API, one step of <see cref="KubernetesApi"/>'s pipeline in both hosts: authentication (a bearer
/// token in the <c>Authorization</c> header, or in a WebSocket's <c>base64url.bearer.authorization.k8s.io.</c>
/// subprotocol as browsers must send it, checked by each <see cref="IBearerTokenAuthenticator"/>), then authorization
/// (<see cref="AccessPolicy"/>). Answers 401 <c>Unauthorized</c> and 403 <c>Forbidden</c> Statuses as the API server
/// does. Tokens are never logged nor echoed.
/// </summary>
internal sealed class ApiGate
{
    /// <summary>The user every request is when authentication is off (<see cref="AuthOptions.Disabled"/>).</summary>
    public static readonly ApiUser Open = ApiUser.Of("system:admin", null, ["system:masters"], ApiRole.Admin);

    private const string WebSocketTokenPrefix = "base64url.bearer.authorization.k8s.io.";

    private readonly bool _disabled;
    private readonly IReadOnlyList<IBearerTokenAuthenticator> _authenticators;

    public ApiGate(IOptions<AuthOptions> options, IEnumerable<IBearerTokenAuthenticator> authenticators)
    {
        ArgumentNullException.ThrowIfNull(options);
        _disabled = options.Value.Disabled;
        _authenticators = [.. authenticators];
    }

    /// <summary>
    /// Authenticates a request. A request without credentials is anonymous (<see langword="null"/>), which only the
    /// public paths accept; credentials that no authenticator accepts answer 401 on any path, as in Kubernetes.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The user, or <see langword="null"/> for an anonymous request.</returns>
    public async ValueTask<ApiUser?> AuthenticateAsync(HttpRequest request)
    {
        if (_disabled)
        {
            return Open;
        }

        var token = BearerToken(request);
        if (token is null)
        {
            return null;
        }

        foreach (var authenticator in _authenticators)
        {
            if (await authenticator.AuthenticateAsync(token, request.HttpContext.RequestAborted) is { } user)
            {
                return user;
            }
        }

        throw StatusErrors.Unauthorized();
    }

    /// <summary>Refuses (403) a request the user's role does not allow.</summary>
    /// <param name="user">The user.</param>
    /// <param name="attributes">What the request asks.</param>
    public static void Authorize(ApiUser user, RequestAttributes attributes)
    {
        if (!AccessPolicy.Allows(user.Role, attributes))
        {
            throw StatusErrors.Forbidden(user.Name, attributes);
        }
    }

    /// <summary>The bearer token of a request, if it carries one.</summary>
    internal static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && header[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                var token = header[(space + 1)..].Trim();
                return token.Length > 0 ? token : null;
            }

            // Another scheme (basic, say) is credentials nobody here accepts.
            throw StatusErrors.Unauthorized();
        }

        foreach (var protocols in request.Headers.SecWebSocketProtocol)
        {
            foreach (var protocol in (protocols ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(WebSocketTokenPrefix, StringComparison.Ordinal))
                {
                    return DecodeBase64Url(protocol[WebSocketTokenPrefix.Length..]) ?? throw StatusErrors.Unauthorized();
                }
            }
        }

        return null;
    }

    private static string? DecodeBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
