namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A port the group's IP address exposes.</summary>
public sealed class GroupPort
{
    /// <summary>Gets or sets the port number.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the protocol: <c>TCP</c> or <c>UDP</c>.</summary>
    public string? Protocol { get; set; }
}
