using System.Security.Cryptography;
using System.Text;
using DurableKube.Domain.Authorization;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Auth;

/// <summary>
/// The static tokens of <see cref="AuthOptions.Tokens"/>. A token is compared with every configured one in constant
/// time (SHA-256 digests, <see cref="CryptographicOperations.FixedTimeEquals"/>, no early exit), so the time an answer
/// takes says nothing about how much of a token was right. Only digests are kept.
/// </summary>
internal sealed class StaticTokenAuthenticator : IBearerTokenAuthenticator
{
    private readonly List<(byte[] Digest, ApiUser User)> _tokens = [];

    public StaticTokenAuthenticator(IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, entry) in options.Value.Tokens)
        {
            var token = entry.TokenFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() : entry.Token?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [$"Auth:Tokens:{name} has neither a Token nor a TokenFile with a token in it."]);
            }

            if (token.Length < 16)
            {
                throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [$"Auth:Tokens:{name}'s token is shorter than 16 characters."]);
            }

            var groups = (entry.Groups ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            _tokens.Add((Digest(token), ApiUser.Of(string.IsNullOrWhiteSpace(entry.User) ? name : entry.User, entry.Uid, groups, ParseRole(name, entry.Role))));
        }
    }

    /// <summary>Gets a value indicating whether any token is configured.</summary>
    public bool Any => _tokens.Count > 0;

    public ValueTask<ApiUser?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var digest = Digest(token);
        ApiUser? found = null;
        foreach (var (known, user) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(known, digest))
            {
                found ??= user;
            }
        }

        return ValueTask.FromResult(found);
    }

    /// <summary>Parses a configured role: <c>admin</c> or <c>view</c> (any case).</summary>
    internal static ApiRole ParseRole(string name, string? role) => role?.Trim().ToUpperInvariant() switch
    {
        "ADMIN" or "CLUSTER-ADMIN" => ApiRole.Admin,
        "VIEW" or "VIEWER" or null or "" => ApiRole.View,
        _ => throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), [$"Auth:Tokens:{name}:Role is '{role}'; it must be admin or view."]),
    };

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
