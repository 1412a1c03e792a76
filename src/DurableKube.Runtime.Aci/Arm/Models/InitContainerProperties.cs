namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The <c>properties</c> of an init container: no ports, probes or resources (the group's are used).</summary>
public sealed class InitContainerProperties
{
    /// <summary>Gets or sets the image.</summary>
    public string Image { get; set; } = "";

    /// <summary>Gets or sets the command and its arguments; unset runs the image's entrypoint.</summary>
    public List<string>? Command { get; set; }

    /// <summary>Gets or sets the environment variables.</summary>
    public List<EnvironmentVariable>? EnvironmentVariables { get; set; }

    /// <summary>Gets or sets the volumes the container mounts.</summary>
    public List<VolumeMount>? VolumeMounts { get; set; }

    /// <summary>Gets or sets the container's observed state (read only).</summary>
    public ContainerInstanceView? InstanceView { get; set; }
}
