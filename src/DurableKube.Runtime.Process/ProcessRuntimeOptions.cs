using System.ComponentModel.DataAnnotations;

namespace DurableKube.Runtime.Process;

/// <summary>Settings of the process container runtime (configuration section <c>Runtime:Process</c>).</summary>
public sealed class ProcessRuntimeOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Runtime:Process";

    /// <summary>
    /// Gets or sets the state directory: pods, runs, their output and logs. Relative paths are resolved against the
    /// working directory at start-up, so an absolute path is recommended. A new runtime on the same directory
    /// re-adopts the runs an earlier one left running. Only one runtime may use a directory at a time.
    /// </summary>
    [Required]
    [MinLength(1)]
    public string Root { get; set; } = Path.Combine(".run", "runtime");

    /// <summary>
    /// Gets or sets how long a clean shutdown waits after SIGTERM before it SIGKILLs what still runs
    /// (never longer than the host's own shutdown timeout allows).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how often runs that are not children of this process (re-adopted after a restart, or whose shim
    /// died) are checked for an exit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ExitPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Gets or sets the range pods take their own loopback address from (<c>Runtime__PodCidr</c>; every address of
    /// 127.0.0.0/8 reaches this machine on Linux). Each sandbox gets the lowest free address after the last one given,
    /// keeps it in its record across restarts of the host, and frees it when removed.
    /// </summary>
    [Required]
    [RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/\d{1,2}$", ErrorMessage = "Runtime:PodCidr must be an IPv4 range such as 127.1.0.0/16.")]
    public string PodCidr { get; set; } = DefaultPodCidr;

    /// <summary>
    /// Gets or sets a value indicating whether containers with volume mounts run in mount namespaces of their own (the
    /// default). The runtime checks at start-up that the machine allows it (<c>unshare --mount</c> as its user); when it
    /// does not, or this is <see langword="false"/>, a container that mounts a volume is refused (CreateContainerError
    /// saying why), never run without its files. Containers without mounts run either way.
    /// </summary>
    public bool MountNamespaces { get; set; } = true;

    /// <summary>The default pod range.</summary>
    public const string DefaultPodCidr = "127.1.0.0/16";
}
