namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The observed state of a whole group.</summary>
public sealed class ContainerGroupInstanceView
{
    /// <summary>Gets or sets the group's state: Pending, Running, Succeeded, Failed, Stopped...</summary>
    public string? State { get; set; }

    /// <summary>Gets or sets the group's events.</summary>
    public List<ContainerEvent>? Events { get; set; }
}
