namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The body of a PATCH of a group: its tags only.</summary>
public sealed class ContainerGroupTagsPatch
{
    /// <summary>Gets or sets the tags, all of them (they replace the group's).</summary>
    public Dictionary<string, string> Tags { get; set; } = [];
}
