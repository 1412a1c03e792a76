namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An init container of a group.</summary>
public sealed class InitContainer
{
    /// <summary>Gets or sets the container's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the container's properties.</summary>
    public InitContainerProperties Properties { get; set; } = new();
}
