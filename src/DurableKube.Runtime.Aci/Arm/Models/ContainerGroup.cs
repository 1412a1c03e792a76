namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A container group resource (<c>Microsoft.ContainerInstance/containerGroups</c>) as ARM sends and takes it.</summary>
public sealed class ContainerGroup
{
    /// <summary>Gets or sets the resource id (read only).</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the group's name (read only; the URL names it).</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the Azure region, e.g. <c>westeurope</c>.</summary>
    public string? Location { get; set; }

    /// <summary>Gets or sets the resource tags: how DurableKube finds the pod a group belongs to.</summary>
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>Gets or sets the group's properties.</summary>
    public ContainerGroupProperties Properties { get; set; } = new();
}
