namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The <c>properties</c> of an app container.</summary>
public sealed class ContainerProperties
{
    /// <summary>Gets or sets the image.</summary>
    public string Image { get; set; } = "";

    /// <summary>Gets or sets the command and its arguments; unset runs the image's entrypoint.</summary>
    public List<string>? Command { get; set; }

    /// <summary>Gets or sets the ports the container listens on.</summary>
    public List<ContainerPort>? Ports { get; set; }

    /// <summary>Gets or sets the environment variables.</summary>
    public List<EnvironmentVariable>? EnvironmentVariables { get; set; }

    /// <summary>Gets or sets the resources the container requests (required) and may use at most.</summary>
    public ResourceRequirements Resources { get; set; } = new();

    /// <summary>Gets or sets the volumes the container mounts.</summary>
    public List<VolumeMount>? VolumeMounts { get; set; }

    /// <summary>Gets or sets the container's observed state (read only, GET of the group only).</summary>
    public ContainerInstanceView? InstanceView { get; set; }
}
