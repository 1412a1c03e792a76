using System.Text.Json.Serialization;
using DurableKube.Domain.Kubelet.Probes;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// An event raised to a pod's workflow from outside: the node agent reporting an exit, the prober a probe's result, the dispatcher
/// reporting a deletion. Signals may arrive more than once and out of order; the lifecycle ignores what it already knows.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$signal")]
[JsonDerivedType(typeof(ContainerExited), "exited")]
[JsonDerivedType(typeof(PodDeletionRequested), "deleting")]
[JsonDerivedType(typeof(ActiveDeadlineChanged), "activeDeadline")]
[JsonDerivedType(typeof(ContainerProbed), "probed")]
[JsonDerivedType(typeof(EphemeralContainersAdded), "ephemeralContainers")]
[JsonDerivedType(typeof(ConfigSourceChanged), "configSource")]
[JsonDerivedType(typeof(SchedulingChance), "schedulingChance")]
public abstract record PodSignal
{
    /// <summary>The name of the external event that carries every signal to a pod's workflow.</summary>
    public const string EventName = "kubelet";
}

/// <summary>A run exited.</summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The run's attempt number.</param>
/// <param name="FinishedAt">When it exited.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Reason">The runtime's reason, if it knows more than the exit code.</param>
/// <param name="Message">The runtime's message, if any.</param>
public sealed record ContainerExited(string Name, int Attempt, DateTimeOffset FinishedAt, int ExitCode, string? Reason = null, string? Message = null) : PodSignal;

/// <summary>The pod is being deleted (it got a deletionTimestamp, or its object was removed outright).</summary>
/// <param name="KillAt">When its grace period ends.</param>
/// <param name="ObjectGone">Whether the object is already gone from the store.</param>
public sealed record PodDeletionRequested(DateTimeOffset KillAt, bool ObjectGone) : PodSignal;

/// <summary>The pod's <c>spec.activeDeadlineSeconds</c> was set or lowered by an update.</summary>
/// <param name="Seconds">The value now in the spec.</param>
public sealed record ActiveDeadlineChanged(long? Seconds) : PodSignal;

/// <summary>
/// A probe's result changed for a run (or the prober repeats the current one, so a lost signal heals): the node's
/// prober reports it, and the kubelet folds it into the container's started and ready state, or stops a run that
/// failed its liveness or startup probe.
/// </summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The run's attempt number; a result for another run is ignored.</param>
/// <param name="Kind">Which probe.</param>
/// <param name="Result">Its result.</param>
/// <param name="At">When the prober reached it (a kill's grace period counts from it).</param>
/// <param name="Message">The last probe's output (the failure's message), if any.</param>
public sealed record ContainerProbed(string Name, int Attempt, ProbeKind Kind, ProbeResult Result, DateTimeOffset At, string? Message = null) : PodSignal;

/// <summary>Ephemeral containers were added to the pod through its <c>ephemeralcontainers</c> subresource.</summary>
/// <param name="Names">The names of every ephemeral container the pod's spec now has.</param>
public sealed record EphemeralContainersAdded(IReadOnlyList<string> Names) : PodSignal;

/// <summary>
/// A ConfigMap or Secret the pod names was created or changed: what waits for it is tried again at once, and volumes
/// made from it are brought up to date.
/// </summary>
/// <param name="Kind"><c>ConfigMap</c> or <c>Secret</c>.</param>
/// <param name="Name">Its name, in the pod's namespace.</param>
/// <param name="At">When the change was seen.</param>
/// <param name="Mounted">Whether one of the pod's volumes shows the object (not only its env): its files are then refreshed.</param>
public sealed record ConfigSourceChanged(string Kind, string Name, DateTimeOffset At, bool Mounted = false) : PodSignal;

/// <summary>
/// Something changed that may let an unschedulable pod fit (a node added, or its labels, taints, readiness or allocatable
/// changed; a pod removed or finished): a pod waiting to be scheduled is tried again once its back-off allows, as
/// kube-scheduler moves its unschedulable pods to the active or back-off queue on such cluster events.
/// </summary>
/// <param name="At">When the change was seen.</param>
public sealed record SchedulingChance(DateTimeOffset At) : PodSignal;
