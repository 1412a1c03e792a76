namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The <c>properties</c> of a container group.</summary>
public sealed class ContainerGroupProperties
{
    /// <summary>Gets or sets ARM's provisioning state: Pending, Creating, Succeeded, Failed, Canceled, Deleting... (read only).</summary>
    public string? ProvisioningState { get; set; }

    /// <summary>Gets or sets the app containers; they all start together once the init containers are done.</summary>
    public List<Container> Containers { get; set; } = [];

    /// <summary>Gets or sets the init containers, run one after another, in order, before the app containers.</summary>
    public List<InitContainer>? InitContainers { get; set; }

    /// <summary>Gets or sets the operating system: <c>Linux</c>.</summary>
    public string? OsType { get; set; }

    /// <summary>Gets or sets the whole group's restart policy: <c>Always</c>, <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; set; }

    /// <summary>Gets or sets the SKU: <c>Standard</c>.</summary>
    public string? Sku { get; set; }

    /// <summary>Gets or sets the group's IP address and the ports it exposes.</summary>
    public IpAddress? IpAddress { get; set; }

    /// <summary>Gets or sets the credentials of private image registries.</summary>
    public List<ImageRegistryCredential>? ImageRegistryCredentials { get; set; }

    /// <summary>Gets or sets the volumes the containers mount.</summary>
    public List<Volume>? Volumes { get; set; }

    /// <summary>Gets or sets the group's observed state: only a GET of the one group returns it, never a list.</summary>
    public ContainerGroupInstanceView? InstanceView { get; set; }
}
