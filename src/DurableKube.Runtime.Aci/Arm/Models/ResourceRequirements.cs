namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A container's resources: what it requests (ACI requires it) and, optionally, the most it may use.</summary>
public sealed class ResourceRequirements
{
    /// <summary>Gets or sets the requests.</summary>
    public ResourceRequests Requests { get; set; } = new();

    /// <summary>Gets or sets the limits, when given.</summary>
    public ResourceLimits? Limits { get; set; }
}
