namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The group's IP address.</summary>
public sealed class IpAddress
{
    /// <summary>Gets or sets the kind of address: <c>Public</c> or <c>Private</c>.</summary>
    public string Type { get; set; } = "Private";

    /// <summary>Gets or sets the ports it exposes.</summary>
    public List<GroupPort> Ports { get; set; } = [];

    /// <summary>Gets or sets the address, once allocated (read only).</summary>
    public string? Ip { get; set; }
}
