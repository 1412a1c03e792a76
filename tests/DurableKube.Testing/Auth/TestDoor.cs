namespace DurableKube.Testing.Auth;

/// <summary>
/// The API's door as a host's settings configure it (<c>Auth__Tokens__*</c>) for tests: an admin and a viewer (the
/// read-only role), each with a static bearer token.
/// </summary>
public static class TestDoor
{
    /// <summary>The admin's bearer token.</summary>
    public const string AdminToken = "admin-token-0123456789abcdef";

    /// <summary>The viewer's bearer token.</summary>
    public const string ViewerToken = "viewer-token-0123456789abcdef";

    /// <summary>The settings, as configuration keys: a new dictionary each time, for a test to add to.</summary>
    /// <returns>The settings.</returns>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Auth:Tokens:admin:Token"] = AdminToken,
        ["Auth:Tokens:admin:User"] = "admin",
        ["Auth:Tokens:admin:Role"] = "admin",
        ["Auth:Tokens:viewer:Token"] = ViewerToken,
        ["Auth:Tokens:viewer:User"] = "viewer",
        ["Auth:Tokens:viewer:Role"] = "view",
    };
}
