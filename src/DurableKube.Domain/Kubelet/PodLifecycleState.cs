namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Everything the kubelet workflow of one pod carries from step to step: small, so it fits a workflow's
/// history; the pod's full spec stays in the store and activities read it there.
/// </summary>
/// <param name="Pod">Which pod.</param>
/// <param name="RestartPolicy">The pod's restart policy.</param>
/// <param name="Containers">One track per container: init containers in spec order, then app containers.</param>
/// <param name="Settings">The kubelet timings in force.</param>
/// <param name="GracePeriod">The pod's <c>terminationGracePeriodSeconds</c>: how long SIGTERM is given before SIGKILL.</param>
/// <param name="NodeName">The node the pod is bound to, once scheduled.</param>
/// <param name="Unschedulable">Why the last scheduling attempt found no node, if it did not.</param>
/// <param name="ScheduleRetryAt">When to try scheduling again after it failed: <see cref="KubeletSettings.ScheduleRetry"/> after, or sooner on a <see cref="SchedulingChance"/>.</param>
/// <param name="Sandbox">The sandbox's addresses once it exists.</param>
/// <param name="Terminal">Whether the pod has finished for good (Succeeded or Failed): nothing will start again.</param>
/// <param name="StopDeadline">When a terminal pod's remaining sidecars get SIGKILL.</param>
/// <param name="Termination">Set once the pod is being deleted.</param>
/// <param name="SandboxRemoved">Whether the sandbox has been removed (only during termination).</param>
/// <param name="Removed">Whether the pod's object has been removed from the store: the workflow is done.</param>
/// <param name="NeedsRelist">Whether to ask the runtime about the running containers before anything else (set when the workflow continues as new).</param>
/// <param name="ActiveDeadline">The pod's <c>activeDeadlineSeconds</c>: how long it may be active on its node, counted from <paramref name="StartTime"/>.</param>
/// <param name="StartTime">When the kubelet took the pod on (its <c>status.startTime</c>).</param>
/// <param name="DeadlineExceeded">Whether the pod failed for running past its active deadline.</param>
/// <param name="SandboxWait">Why the sandbox is not ready yet, while a pod-scoped runtime creates or restarts it, or could not create it now.</param>
/// <param name="PodScoped">Whether the pod's runtime works per pod: containers start with the sandbox and restart only together.</param>
/// <param name="SandboxGeneration">How many times a pod-scoped sandbox has restarted: the attempt number its runs carry.</param>
/// <param name="Revision">Counts changes that the pod's status shows.</param>
/// <param name="WrittenRevision">The <paramref name="Revision"/> last written to the pod's status.</param>
/// <param name="VolumesStale">A ConfigMap or Secret a running pod's volume shows has changed: its files are to be refreshed.</param>
/// <param name="ScheduleAttempts">How many scheduling attempts have failed in a row.</param>
/// <param name="ScheduleBackoffUntil">Before when a <see cref="SchedulingChance"/> does not try the pod again (its scheduling back-off, <see cref="SchedulingBackoff"/>).</param>
public sealed record PodLifecycleState(
    PodIdentity Pod,
    PodRestartPolicy RestartPolicy,
    IReadOnlyList<ContainerTrack> Containers,
    KubeletSettings Settings,
    TimeSpan GracePeriod,
    string? NodeName = null,
    string? Unschedulable = null,
    DateTimeOffset? ScheduleRetryAt = null,
    SandboxAddresses? Sandbox = null,
    bool Terminal = false,
    DateTimeOffset? StopDeadline = null,
    PodTermination? Termination = null,
    bool SandboxRemoved = false,
    bool Removed = false,
    bool NeedsRelist = false,
    TimeSpan? ActiveDeadline = null,
    DateTimeOffset? StartTime = null,
    bool DeadlineExceeded = false,
    SandboxWait? SandboxWait = null,
    bool PodScoped = false,
    int SandboxGeneration = 0,
    long Revision = 1,
    long WrittenRevision = 0,
    bool VolumesStale = false,
    int ScheduleAttempts = 0,
    DateTimeOffset? ScheduleBackoffUntil = null)
{
    /// <summary>Gets the track of the named container.</summary>
    /// <param name="name">The container name.</param>
    /// <returns>The track, or <see langword="null"/> if the pod has no such container.</returns>
    public ContainerTrack? Find(string name) => Containers.FirstOrDefault(c => c.Name == name);

    /// <summary>Returns a state with one track replaced and the revision bumped.</summary>
    /// <param name="track">The new track (matched by name).</param>
    /// <returns>The new state.</returns>
    public PodLifecycleState With(ContainerTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return this with
        {
            Containers = Containers.Select(c => c.Name == track.Name ? track : c).ToList(),
            Revision = Revision + 1,
        };
    }

    /// <summary>Returns a state with the revision bumped, for a change the status shows.</summary>
    /// <returns>The new state.</returns>
    public PodLifecycleState Changed() => this with { Revision = Revision + 1 };

    /// <summary>Gets when the pod's active deadline passes, once it has one and has started.</summary>
    public DateTimeOffset? DeadlineAt => ActiveDeadline is { } deadline && StartTime is { } start ? start + deadline : null;
}
