namespace DurableKube.Ports.Runtime;

/// <summary>Everything a runtime needs to start one run of a container.</summary>
/// <param name="Id">The run.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="Image">The container image, as the spec names it.</param>
/// <param name="Command">
/// The command followed by its arguments, with <c>$(VAR)</c> references already expanded. Empty when the pod
/// gives neither, for a runtime that runs the image's own entrypoint; the process runtime needs one.
/// </param>
/// <param name="Environment">The container's environment, in spec order, values resolved.</param>
/// <param name="WorkingDirectory">The working directory, or <see langword="null"/> for the runtime's default.</param>
public sealed record ContainerLaunch(
    ContainerRunId Id,
    string Namespace,
    string PodName,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? WorkingDirectory)
{
    /// <summary>Gets the args that replace the image's own (its CMD) when <see cref="Command"/> is empty and the image's entrypoint runs.</summary>
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];

    /// <summary>Gets which list of the pod spec the container comes from.</summary>
    public ContainerKind Kind { get; init; } = ContainerKind.App;

    /// <summary>Gets the container's resource requests and limits.</summary>
    public ContainerResources Resources { get; init; } = ContainerResources.None;

    /// <summary>Gets the ports the container listens on.</summary>
    public IReadOnlyList<ContainerPortSpec> Ports { get; init; } = [];

    /// <summary>Gets the names of the variables of <see cref="Environment"/> whose values come from a Secret (kept out of plain view where the runtime can).</summary>
    public IReadOnlySet<string> SecretEnvironment { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether the container keeps a standard input open that <c>kubectl attach -i</c> writes to (the spec's <c>stdin</c>).</summary>
    public bool Stdin { get; init; }

    /// <summary>
    /// Gets a value indicating whether the container runs on a terminal of its own (the spec's <c>tty</c>): its input and
    /// output are a pseudo-terminal's, it has no separate standard error, and <c>kubectl attach</c> gets that terminal.
    /// </summary>
    public bool Tty { get; init; }

    /// <summary>Gets the pod volumes the container mounts.</summary>
    public IReadOnlyList<VolumeMountSpec> VolumeMounts { get; init; } = [];

    /// <summary>
    /// Gets when the runtime pulls the image (the spec's <c>imagePullPolicy</c>): <c>Always</c>, <c>IfNotPresent</c> or
    /// <c>Never</c>; the API's default is <c>Always</c> for a <c>:latest</c> or untagged image, else <c>IfNotPresent</c>.
    /// </summary>
    public string ImagePullPolicy { get; init; } = ImagePullPolicies.IfNotPresent;

    /// <summary>Gets the user id the container's process runs as (<c>securityContext.runAsUser</c>), or <see langword="null"/> for the image's.</summary>
    public long? RunAsUser { get; init; }

    /// <summary>Gets a value indicating whether the container's root file system is read-only (<c>securityContext.readOnlyRootFilesystem</c>).</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Gets a value indicating whether the container asks to run privileged (<c>securityContext.privileged</c>).</summary>
    public bool Privileged { get; init; }
}
