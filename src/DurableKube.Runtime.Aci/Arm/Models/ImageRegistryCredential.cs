namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>How ACI logs in to a private registry.</summary>
public sealed class ImageRegistryCredential
{
    /// <summary>Gets or sets the registry's host, e.g. <c>myregistry.azurecr.io</c>.</summary>
    public string Server { get; set; } = "";

    /// <summary>Gets or sets the user name.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password (write only).</summary>
    public string? Password { get; set; }
}
