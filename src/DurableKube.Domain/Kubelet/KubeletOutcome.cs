using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>What came of a <see cref="KubeletCommand"/>; the workflow folds outcomes into its state with <see cref="PodLifecycle.Apply"/>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$outcome")]
[JsonDerivedType(typeof(PodBound), "bound")]
[JsonDerivedType(typeof(PodUnschedulable), "unschedulable")]
[JsonDerivedType(typeof(SandboxCreated), "sandboxCreated")]
[JsonDerivedType(typeof(ContainerStarted), "started")]
[JsonDerivedType(typeof(ContainerNotCreated), "notCreated")]
[JsonDerivedType(typeof(StopSent), "stopSent")]
[JsonDerivedType(typeof(SandboxRemoved), "sandboxRemoved")]
[JsonDerivedType(typeof(PodRemoved), "podRemoved")]
[JsonDerivedType(typeof(DeletionObserved), "deletionObserved")]
[JsonDerivedType(typeof(RunExited), "runExited")]
[JsonDerivedType(typeof(Relisted), "relisted")]
[JsonDerivedType(typeof(DeadlineEnforced), "deadlineEnforced")]
[JsonDerivedType(typeof(SandboxPending), "sandboxPending")]
[JsonDerivedType(typeof(SandboxRestarted), "sandboxRestarted")]
[JsonDerivedType(typeof(SandboxLost), "sandboxLost")]
[JsonDerivedType(typeof(VolumesRefreshed), "volumesRefreshed")]
[JsonDerivedType(typeof(BackoffShown), "backoffShown")]
public abstract record KubeletOutcome;

/// <summary>The pod is bound to a node.</summary>
/// <param name="NodeName">The node.</param>
/// <param name="At">When the kubelet took the pod on: its <c>status.startTime</c>, from which <c>activeDeadlineSeconds</c> counts.</param>
public sealed record PodBound(string NodeName, DateTimeOffset? At = null) : KubeletOutcome;

/// <summary>No node can take the pod now: it waits for a change that may let it fit (<see cref="SchedulingChance"/>), or for <see cref="KubeletSettings.ScheduleRetry"/>.</summary>
/// <param name="Message">Why, in the scheduler's words.</param>
/// <param name="At">When the scheduler turned it down.</param>
public sealed record PodUnschedulable(string Message, DateTimeOffset At) : KubeletOutcome;

/// <summary>The sandbox exists and can hold its containers.</summary>
/// <param name="Addresses">Its addresses.</param>
/// <param name="PodScoped">
/// Whether the runtime works per pod (ACI): it started the containers itself, restarts them only together
/// and cannot stop one alone.
/// </param>
public sealed record SandboxCreated(SandboxAddresses Addresses, bool PodScoped = false) : KubeletOutcome;

/// <summary>The sandbox is not ready yet (a pod-scoped runtime still creating it), or could not be created now.</summary>
/// <param name="Wait">Why, and when to look again.</param>
/// <param name="PodScoped">
/// Whether the pod's runtime works per pod; false for a container-scoped runtime whose sandbox waits for something
/// of the kubelet's own (a volume that cannot be set up yet: FailedMount).
/// </param>
public sealed record SandboxPending(SandboxWait Wait, bool PodScoped = true) : KubeletOutcome;

/// <summary>A pod-scoped sandbox was asked to restart every container.</summary>
/// <param name="Attempt">The generation its new runs take.</param>
/// <param name="At">When the restart was asked for: the end of the runs it replaced.</param>
public sealed record SandboxRestarted(int Attempt, DateTimeOffset At) : KubeletOutcome;

/// <summary>
/// A pod-scoped sandbox the kubelet asked to restart, or whose run it asked for, is gone from the runtime (an ACI container
/// group deleted behind DurableKube's back): its runs went with it. As Kubernetes' kubelet does when a pod's sandbox
/// disappears, the sandbox is made again if the restart policy restarts the containers (the runs counted as restarts),
/// else the containers are lost (exit 137, <c>ContainerStatusUnknown</c>) and the pod fails.
/// </summary>
/// <param name="Attempt">The generation the command asked for: the new sandbox's runs take at least this number.</param>
/// <param name="At">When the loss was found.</param>
/// <param name="Message">The runtime's words for what is gone.</param>
public sealed record SandboxLost(int Attempt, DateTimeOffset At, string Message) : KubeletOutcome;

/// <summary>The pod's volumes of files were given their objects' current content, or the runtime cannot change them.</summary>
public sealed record VolumesRefreshed : KubeletOutcome;

/// <summary>A run was started. If it could not even start (StartError), it comes back already exited.</summary>
/// <param name="Name">The container.</param>
/// <param name="Run">The run.</param>
public sealed record ContainerStarted(string Name, ContainerRun Run) : KubeletOutcome;

/// <summary>The container could not be created: no run was made, and it waits with the reason.</summary>
/// <param name="Name">The container.</param>
/// <param name="Error">Why: CreateContainerConfigError for a spec that cannot run, CreateContainerError when the runtime refused.</param>
/// <param name="RetryAt">When to try again (a ConfigMap or Secret that may appear), or <see langword="null"/> to wait for the pod to change.</param>
public sealed record ContainerNotCreated(string Name, ContainerCreateError Error, DateTimeOffset? RetryAt = null) : KubeletOutcome;

/// <summary>A stop signal was sent to a run.</summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The run's attempt number.</param>
/// <param name="Signal">The signal.</param>
public sealed record StopSent(string Name, int Attempt, StopSignal Signal) : KubeletOutcome;

/// <summary>The sandbox is gone.</summary>
public sealed record SandboxRemoved : KubeletOutcome;

/// <summary>The pod's object is gone from the store.</summary>
public sealed record PodRemoved : KubeletOutcome;

/// <summary>
/// The activity found the pod being deleted (a deletionTimestamp) or gone, which the workflow had not
/// been told: the pod's own sync notices what a lost signal would have said.
/// </summary>
/// <param name="KillAt">When the grace period ends.</param>
/// <param name="ObjectGone">Whether the object is gone from the store.</param>
public sealed record DeletionObserved(DateTimeOffset KillAt, bool ObjectGone) : KubeletOutcome;

/// <summary>A relist found that a run has exited.</summary>
/// <param name="Exit">The exit, as the node agent would have signalled it.</param>
public sealed record RunExited(ContainerExited Exit) : KubeletOutcome;

/// <summary>The relist is done.</summary>
/// <param name="PodScoped">Whether the pod's runtime works per pod (see <see cref="SandboxCreated"/>).</param>
public sealed record Relisted(bool PodScoped = false) : KubeletOutcome;

/// <summary>The pod's <c>activeDeadlineSeconds</c> has passed: it fails, and what still runs is stopped.</summary>
/// <param name="At">When the kubelet enforced it.</param>
public sealed record DeadlineEnforced(DateTimeOffset At) : KubeletOutcome;

/// <summary>
/// A sync found an exited run waiting out its restart back-off (the kubelet's <c>doBackOff</c> answering
/// <c>ErrCrashLoopBackOff</c>, kept in its reason cache): from now on its status shows it waiting in CrashLoopBackOff.
/// </summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The exited run's attempt number; an outcome for another run is ignored.</param>
public sealed record BackoffShown(string Name, int Attempt) : KubeletOutcome;
