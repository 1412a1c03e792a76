namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>Requested resources.</summary>
public sealed class ResourceRequests
{
    /// <summary>Gets or sets the CPU in cores (ACI takes steps of 0.01 in the API; see docs/aci.md for the rounding).</summary>
    public double Cpu { get; set; }

    /// <summary>Gets or sets the memory in GB, in steps of 0.1.</summary>
    public double MemoryInGB { get; set; }
}
