namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An app container of a group.</summary>
public sealed class Container
{
    /// <summary>Gets or sets the container's name (the Kubernetes container name).</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the container's properties.</summary>
    public ContainerProperties Properties { get; set; } = new();
}
