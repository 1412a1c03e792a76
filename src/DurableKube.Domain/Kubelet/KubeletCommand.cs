using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Something the kubelet workflow asks an activity to do. A plan's commands run in order, and the
/// activity stops at the first that fails, since later ones depend on earlier ones (no container
/// starts without its sandbox).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$command")]
[JsonDerivedType(typeof(BindPod), "bind")]
[JsonDerivedType(typeof(CreateSandbox), "createSandbox")]
[JsonDerivedType(typeof(StartContainer), "start")]
[JsonDerivedType(typeof(StopContainer), "stop")]
[JsonDerivedType(typeof(RemoveSandbox), "removeSandbox")]
[JsonDerivedType(typeof(RemovePod), "removePod")]
[JsonDerivedType(typeof(Relist), "relist")]
[JsonDerivedType(typeof(EnforceDeadline), "enforceDeadline")]
[JsonDerivedType(typeof(RestartSandbox), "restartSandbox")]
[JsonDerivedType(typeof(RefreshVolumes), "refreshVolumes")]
public abstract record KubeletCommand;

/// <summary>Choose a node for the pod and bind it there (the scheduler's work, done by the pod's own workflow).</summary>
public sealed record BindPod : KubeletCommand;

/// <summary>Create the pod's sandbox on its node.</summary>
public sealed record CreateSandbox : KubeletCommand;

/// <summary>Start a run of a container.</summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The attempt number of the run (its restart count).</param>
public sealed record StartContainer(string Name, int Attempt) : KubeletCommand;

/// <summary>Signal a run to stop.</summary>
/// <param name="Name">The container.</param>
/// <param name="Attempt">The run's attempt number.</param>
/// <param name="Signal">SIGTERM or SIGKILL.</param>
/// <param name="Message">Why, when the kubelet says so (a failed liveness or startup probe: <c>Container x failed liveness probe, will be restarted</c>).</param>
public sealed record StopContainer(string Name, int Attempt, StopSignal Signal, string? Message = null) : KubeletCommand;

/// <summary>Remove the pod's sandbox and everything in it (runs, logs).</summary>
public sealed record RemoveSandbox : KubeletCommand;

/// <summary>Remove the pod's object from the store: the end of a graceful deletion.</summary>
public sealed record RemovePod : KubeletCommand;

/// <summary>
/// Ask the runtime how the running containers are (the kubelet's relist): an exit whose signal was lost
/// comes back as a <see cref="RunExited"/> outcome. A new execution of the workflow starts with it.
/// </summary>
public sealed record Relist : KubeletCommand;

/// <summary>
/// Fail the pod for running past its <c>activeDeadlineSeconds</c> (the kubelet's active deadline handler,
/// pkg/kubelet/active_deadline.go): nothing more starts, and the stops that follow in the plan end what runs.
/// </summary>
/// <param name="At">When the plan found the deadline passed.</param>
public sealed record EnforceDeadline(DateTimeOffset At) : KubeletCommand;

/// <summary>
/// Restart every container of a pod-scoped sandbox (an ACI container group cannot restart one container):
/// what a container's restart takes there. The new runs are numbered <paramref name="Attempt"/>.
/// </summary>
/// <param name="Attempt">The sandbox's next generation: one more than its current one.</param>
public sealed record RestartSandbox(int Attempt) : KubeletCommand;

/// <summary>
/// Give the running pod's configMap, secret and projected volumes the current content of their objects (the kubelet's
/// periodic remount of such volumes, done here when one of them changes).
/// </summary>
public sealed record RefreshVolumes : KubeletCommand;
