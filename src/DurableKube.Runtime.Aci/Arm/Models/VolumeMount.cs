namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>Where a container mounts a volume of its group.</summary>
public sealed class VolumeMount
{
    /// <summary>Gets or sets the volume's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Gets or sets the path in the container.</summary>
    public string MountPath { get; set; } = "";

    /// <summary>Gets or sets whether the mount is read only.</summary>
    public bool? ReadOnly { get; set; }
}
