namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>One page of a list of groups.</summary>
public sealed class ContainerGroupListResult
{
    /// <summary>Gets or sets the groups of this page (without their instance view).</summary>
    public List<ContainerGroup> Value { get; set; } = [];

    /// <summary>Gets or sets the URL of the next page, if any.</summary>
    public Uri? NextLink { get; set; }
}
