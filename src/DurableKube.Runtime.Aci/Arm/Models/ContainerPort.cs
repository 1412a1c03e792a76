namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A port a container listens on.</summary>
public sealed class ContainerPort
{
    /// <summary>Gets or sets the port number.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the protocol: <c>TCP</c> or <c>UDP</c>.</summary>
    public string? Protocol { get; set; }
}
