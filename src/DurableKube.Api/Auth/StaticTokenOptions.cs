namespace DurableKube.Api.Auth;

/// <summary>One static bearer token and the user it stands for (kube-apiserver's <c>--token-auth-file</c>, one line).</summary>
public sealed class StaticTokenOptions
{
    /// <summary>Gets or sets the token itself. Prefer <see cref="TokenFile"/>: a file can be kept at 0600.</summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets a file holding the token (surrounding white space ignored), read at start-up.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Gets or sets the user name; the entry's name when unset.</summary>
    public string? User { get; set; }

    /// <summary>Gets or sets the user's uid, if any.</summary>
    public string? Uid { get; set; }

    /// <summary>Gets or sets the user's groups, comma separated.</summary>
    public string? Groups { get; set; }

    /// <summary>Gets or sets the role: <c>admin</c> or <c>view</c>. Default <c>view</c>, the least.</summary>
    public string Role { get; set; } = "view";
}
