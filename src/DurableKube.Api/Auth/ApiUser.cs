using DurableKube.Domain.Authorization;

namespace DurableKube.Api.Auth;

/// <summary>Who made a request, once authenticated: the user <c>kubectl auth whoami</c> shows, and the role that authorizes it.</summary>
/// <param name="Name">The user name.</param>
/// <param name="Uid">The user's uid, if known (an Entra ID object id).</param>
/// <param name="Groups">The user's groups, <c>system:authenticated</c> included.</param>
/// <param name="Role">What the user may do.</param>
public sealed record ApiUser(string Name, string? Uid, IReadOnlyList<string> Groups, ApiRole Role)
{
    /// <summary>Makes a user, adding <see cref="AccessPolicy.AuthenticatedGroup"/> to its groups as the API server does.</summary>
    /// <param name="name">The user name.</param>
    /// <param name="uid">The uid, if any.</param>
    /// <param name="groups">The groups.</param>
    /// <param name="role">The role.</param>
    /// <returns>The user.</returns>
    public static ApiUser Of(string name, string? uid, IEnumerable<string> groups, ApiRole role) =>
        new(name, string.IsNullOrEmpty(uid) ? null : uid, [.. groups.Where(g => g.Length > 0 && g != AccessPolicy.AuthenticatedGroup).Distinct(StringComparer.Ordinal), AccessPolicy.AuthenticatedGroup], role);
}
