namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>Resource limits; each is optional.</summary>
public sealed class ResourceLimits
{
    /// <summary>Gets or sets the CPU limit in cores.</summary>
    public double? Cpu { get; set; }

    /// <summary>Gets or sets the memory limit in GB.</summary>
    public double? MemoryInGB { get; set; }
}
