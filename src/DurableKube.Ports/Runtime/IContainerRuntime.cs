namespace DurableKube.Ports.Runtime;

/// <summary>
/// A worker node's container runtime: sandboxes (pods) holding container runs. Two shapes fit it (see
/// <see cref="Scope"/>): a container-scoped runtime in the shape of Kubernetes' CRI, whose containers the
/// kubelet starts and stops one by one (local processes), and a pod-scoped one in the shape of
/// virtual-kubelet's pod provider, which creates a whole pod at once and restarts it as a whole (Azure
/// Container Instances).
/// </summary>
/// <remarks>
/// Every operation is idempotent, because activities that call it may be retried: creating a sandbox or
/// starting a run that exists returns it, stopping or removing what is gone does nothing.
/// </remarks>
public interface IContainerRuntime
{
    /// <summary>Gets the runtime's name, the scheme of the container ids it makes (e.g. <c>process</c>).</summary>
    string Name { get; }

    /// <summary>Gets what the runtime starts and stops: one container at a time, or the whole pod.</summary>
    SandboxScope Scope { get; }

    /// <summary>
    /// Gets a value indicating whether the runtime runs the image's own entrypoint when a container gives no
    /// <c>command</c> (Docker, ACI); the process runtime runs only the commands it is given.
    /// </summary>
    bool RunsImages { get; }

    /// <summary>
    /// Creates the pod's sandbox, or reports on the one that exists. A pod-scoped runtime creates it with every
    /// container of <see cref="SandboxSpec.Containers"/>, and it stays pending until they have started.
    /// </summary>
    /// <param name="spec">The sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The sandbox: ready with its addresses, or pending with why each container waits, or with a reason it
    /// could not be created now (a quota) that the caller should try again later.
    /// </returns>
    Task<SandboxStatus> CreateSandboxAsync(SandboxSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Restarts every container of a pod-scoped sandbox; afterwards each container's run is numbered
    /// <paramref name="attempt"/>. The sandbox is pending again until they have started.
    /// </summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="attempt">The attempt number the new runs take: one more than the runs they replace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sandbox as it is after the restart was asked for.</returns>
    /// <exception cref="NotSupportedException">The runtime is container-scoped: restart the container instead.</exception>
    /// <exception cref="SandboxNotFoundException">The sandbox is gone (removed behind the kubelet's back): create it again.</exception>
    Task<SandboxStatus> RestartSandboxAsync(string podUid, int attempt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a run of a container, or returns the run with that id if it was already started. A pod-scoped
    /// runtime starts no container alone: it returns the run its sandbox started with that attempt number.
    /// </summary>
    /// <param name="launch">What to run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The run: running, or already exited (with reason <c>StartError</c> and exit code 128 when the
    /// command could not be started at all).
    /// </returns>
    /// <exception cref="ContainerRuntimeException">Transient when a pod-scoped sandbox has not started that run yet.</exception>
    /// <exception cref="ContainerRunSupersededException">When the container already has a later run (a stale start).</exception>
    /// <exception cref="SandboxNotFoundException">A pod-scoped sandbox is gone (removed behind the kubelet's back): create it again.</exception>
    Task<ContainerRunStatus> StartContainerAsync(ContainerLaunch launch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops a run; does nothing if it has already exited or is unknown. A pod-scoped runtime cannot stop one
    /// container: it stops the whole sandbox, which the kubelet asks for only when every container is to stop.
    /// </summary>
    /// <param name="id">The run.</param>
    /// <param name="mode">Ask it to stop, or end it now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the signal is sent (not when the run has exited: its exit is reported like any other).</returns>
    Task StopContainerAsync(ContainerRunId id, StopMode mode, CancellationToken cancellationToken = default);

    /// <summary>Ends whatever still runs in the pod's sandbox and removes the sandbox, its runs and their logs.</summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once nothing of the pod is left.</returns>
    Task RemoveSandboxAsync(string podUid, CancellationToken cancellationToken = default);

    /// <summary>Reads one run's state.</summary>
    /// <param name="id">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, or <see langword="null"/> if the runtime has no such run.</returns>
    Task<ContainerRunStatus?> GetContainerAsync(ContainerRunId id, CancellationToken cancellationToken = default);

    /// <summary>Reads the state of every run the runtime holds (the node agent's resync).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams runs as they exit, until cancelled. A runtime that cannot push may poll; an exit may be
    /// reported more than once, and one missed here is still found by <see cref="ListContainersAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The exited runs.</returns>
    IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records that a run's exit has reached the pod's workflow, so resyncs stop reporting it.</summary>
    /// <param name="id">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once recorded.</returns>
    Task AcknowledgeExitAsync(ContainerRunId id, CancellationToken cancellationToken = default);

    /// <summary>Reads a run's log.</summary>
    /// <param name="id">The run.</param>
    /// <param name="options">Which lines.</param>
    /// <param name="cancellationToken">Ends the read (and a follow).</param>
    /// <returns>The lines, oldest first; with <see cref="LogReadOptions.Follow"/>, new lines until the run exits.</returns>
    /// <exception cref="ContainerRuntimeException">The runtime has no log for that run.</exception>
    IAsyncEnumerable<LogLine> ReadLogAsync(ContainerRunId id, LogReadOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a command inside a running container, in its environment, working directory and network (the CRI's
    /// <c>Exec</c>): what <c>kubectl exec</c> and exec probes do.
    /// </summary>
    /// <param name="id">The run to enter.</param>
    /// <param name="spec">The command, and whether it gets standard input and a terminal.</param>
    /// <param name="cancellationToken">Cancels the start (not the session: dispose it to end the command).</param>
    /// <returns>The running command.</returns>
    /// <exception cref="ContainerRuntimeException">The run is not running, or the command could not be started.</exception>
    /// <exception cref="NotSupportedException">The runtime cannot run commands in its containers.</exception>
    Task<IExecSession> ExecAsync(ContainerRunId id, ExecSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Attaches to a running container's own streams (the CRI's <c>Attach</c>): what <c>kubectl attach</c> does. The
    /// session carries what the container writes from now on and, for a container started with <c>stdin: true</c>
    /// when <paramref name="stdin"/> is asked, writes to its standard input; it ends when the container exits.
    /// Disposing it detaches and leaves the container running.
    /// </summary>
    /// <param name="id">The run to attach to.</param>
    /// <param name="stdin">Whether the caller writes to the container's standard input.</param>
    /// <param name="cancellationToken">Cancels the attach (not the session: dispose it to detach).</param>
    /// <returns>The session; its <see cref="IExecSession.Exited"/> completes with the container's exit code.</returns>
    /// <exception cref="ContainerRuntimeException">The run is not running.</exception>
    /// <exception cref="NotSupportedException">The runtime cannot attach to its containers.</exception>
    Task<IExecSession> AttachAsync(ContainerRunId id, bool stdin, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} runtime cannot attach to a container's streams.");

    /// <summary>
    /// Replaces the files of a running pod's <see cref="SandboxVolumeKind.Files"/> volume (a ConfigMap or Secret
    /// that changed), as the kubelet does: every container mounting the volume's root sees the new files at once
    /// (a <c>subPath</c> mount keeps the old ones, as in Kubernetes). Does nothing for a pod the runtime does not hold.
    /// </summary>
    /// <param name="podUid">The pod's uid.</param>
    /// <param name="volume">The volume with its new files.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the new files are in place.</returns>
    /// <exception cref="NotSupportedException">The runtime cannot change a running pod's volumes (ACI).</exception>
    Task UpdateVolumeAsync(string podUid, SandboxVolume volume, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The {Name} runtime cannot change the files of a running pod's volume.");

    /// <summary>
    /// Reads what the node and its pods' running containers use (the kubelet's summary API, which the metrics-server
    /// reads): CPU as a rate over a window, and the memory working set. A runtime computes the rate from two samples
    /// of cumulative CPU time; a run it has not sampled before is sampled twice, a short while apart.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The figures, or <see langword="null"/> when the runtime has none to give (Azure Container Instances: its
    /// figures are in Azure Monitor, not in ARM), whose pods and node are then absent from the metrics API.
    /// </returns>
    Task<NodeUsage?> GetUsageAsync(CancellationToken cancellationToken = default) => Task.FromResult<NodeUsage?>(null);

    /// <summary>Describes the node: addresses, capacity, operating system.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The description.</returns>
    Task<NodeDescription> DescribeNodeAsync(CancellationToken cancellationToken = default);
}
