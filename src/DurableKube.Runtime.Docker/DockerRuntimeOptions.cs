using System.ComponentModel.DataAnnotations;

namespace DurableKube.Runtime.Docker;

/// <summary>Settings of the Docker container runtime (configuration section <c>Runtime:Docker</c>).</summary>
public sealed class DockerRuntimeOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Runtime:Docker";

    /// <summary>The Engine API endpoint used when none is configured.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>Gets or sets the Engine API endpoint (<c>Runtime__Docker__Endpoint</c>), a unix socket such as <c>unix:///var/run/docker.sock</c>.</summary>
    [Required]
    [MinLength(1)]
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// Gets or sets the state directory: each pod's volumes (emptyDir, ConfigMap and Secret files) and which exits were
    /// acknowledged. Docker bind-mounts from it, so it is made absolute at start-up.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string Root { get; set; } = Path.Combine(".run", "docker");

    /// <summary>Gets or sets the node whose containers this runtime makes and lists (its containers carry it as a label); empty for any.</summary>
    public string NodeName { get; set; } = string.Empty;

    /// <summary>Gets or sets the sandbox (pause) image; the runtime builds it from <see cref="BusyboxPath"/> when the engine lacks it.</summary>
    [Required]
    [MinLength(1)]
    public string PauseImage { get; set; } = "durablekube/pause:1";

    /// <summary>Gets or sets the static busybox the pause image is built from (Debian's <c>busybox-static</c>).</summary>
    [Required]
    [MinLength(1)]
    public string BusyboxPath { get; set; } = "/bin/busybox";

    /// <summary>Gets or sets how long creating a sandbox waits for an image pull before it answers "still pulling" (the pull goes on).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PullWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets or sets a value indicating whether containers may run privileged (<c>Runtime__Docker__AllowPrivileged</c>); refused otherwise.</summary>
    public bool AllowPrivileged { get; set; }

    /// <summary>Gets or sets how often the exit watch reconnects to the engine's event stream after losing it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
}
