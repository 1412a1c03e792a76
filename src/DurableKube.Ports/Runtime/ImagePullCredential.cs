namespace DurableKube.Ports.Runtime;

/// <summary>Credentials for one image registry.</summary>
/// <param name="Server">The registry's host, e.g. <c>myregistry.azurecr.io</c>.</param>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password or token.</param>
public sealed record ImagePullCredential(string Server, string Username, string Password)
{
    /// <summary>Keeps the password out of logs and exception messages.</summary>
    /// <returns>The server and user name.</returns>
    public override string ToString() => $"{Username}@{Server}";
}
