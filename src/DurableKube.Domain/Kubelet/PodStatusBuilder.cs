using k8s.Models;
using DurableKube.Domain.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// Writes a pod's <c>status</c> from the kubelet's state, as the kubelet's <c>generateAPIPodStatus</c>
/// does: container states with their reasons, restart counts and last terminations; the phase; the
/// conditions the kubelet owns; addresses and start time.
/// </summary>
public static class PodStatusBuilder
{
    private static readonly HashSet<string> KubeletConditions =
        ["PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready"];

    /// <summary>
    /// Whether writing <paramref name="next"/> over <paramref name="stored"/> would take the pod back: out of a terminal
    /// phase (the kubelet's status manager refuses that: a pod never leaves Succeeded or Failed), from Running back to
    /// Pending (a pod never goes back), or to a lower restart count of a container. Only a stale writer does that (a sync redelivered after a crash), so its write is dropped.
    /// </summary>
    /// <param name="stored">The status as stored.</param>
    /// <param name="next">The status about to be written.</param>
    /// <returns>Whether the write goes back.</returns>
    public static bool GoesBack(V1PodStatus? stored, V1PodStatus next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (stored is null)
        {
            return false;
        }

        if (stored.Phase is "Succeeded" or "Failed" && next.Phase != stored.Phase)
        {
            return true;
        }

        if (stored.Phase == "Running" && next.Phase == "Pending")
        {
            // A pod never goes back to Pending: a sync replayed after a crash, from before its containers started.
            return true;
        }

        static IEnumerable<V1ContainerStatus> All(V1PodStatus status) =>
            (status.InitContainerStatuses ?? []).Concat(status.ContainerStatuses ?? []).Concat(status.EphemeralContainerStatuses ?? []);
        var restarts = All(stored).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(c => c.RestartCount), StringComparer.Ordinal);
        return All(next).Any(c => restarts.TryGetValue(c.Name, out var before) && c.RestartCount < before);
    }

    /// <summary>Builds the status.</summary>
    /// <param name="pod">The pod as stored: its spec, and its current status, whose transition times and foreign conditions are kept.</param>
    /// <param name="state">The kubelet's state of the pod.</param>
    /// <param name="runtimeName">The container runtime's name, the scheme of container ids.</param>
    /// <param name="now">The current time, for conditions that change now.</param>
    /// <returns>The new status.</returns>
    public static V1PodStatus Build(V1Pod pod, PodLifecycleState state, string runtimeName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(state);
        var spec = pod.Spec;
        var old = pod.Status ?? new V1PodStatus();
        if (state.NodeName is null && string.IsNullOrEmpty(spec.NodeName) && !state.DeadlineExceeded && !PodPhases.IsTerminal(old.Phase))
        {
            // No node has the pod yet, so no kubelet reports on it: the status is the API server's Pending and the
            // scheduler's PodScheduled condition, without container statuses (kubectl shows Pending, not ContainerCreating).
            return new V1PodStatus
            {
                Phase = PodPhases.Pending,
                Conditions = Conditions(pod, state, [], [], PodPhases.Pending, now),
                QosClass = old.QosClass,
                NominatedNodeName = old.NominatedNodeName,
                Reason = old.Reason,
                Message = old.Message,
            };
        }

        var hasInit = (spec.InitContainers?.Count ?? 0) > 0;

        var initStatuses = (spec.InitContainers ?? [])
            .Select(c => ContainerStatus(c, state.Find(c.Name), state, hasInit, runtimeName))
            .ToList();
        var statuses = (spec.Containers ?? [])
            .Select(c => ContainerStatus(c, state.Find(c.Name), state, hasInit, runtimeName))
            .ToList();

        var anyRunning = state.Containers.Any(c => c.IsRunning);
        var podIsTerminal = (state.Terminal || state.Termination is not null) && !anyRunning;
        var phase = PodPhases.Compute(spec, initStatuses, statuses, podIsTerminal);
        if (PodPhases.IsTerminal(old.Phase))
        {
            // A pod never leaves Succeeded or Failed.
            phase = old.Phase;
        }
        else if (state.DeadlineExceeded)
        {
            // Failed at once, while its containers are still being stopped (the kubelet's ShouldEvict).
            phase = PodPhases.Failed;
        }

        var (reason, message) = state.DeadlineExceeded && !PodPhases.IsTerminal(old.Phase)
            ? (PodLifecycle.DeadlineExceededReason, PodLifecycle.DeadlineExceededMessage)
            : old.Phase == phase ? (old.Reason, old.Message) : (null, null);

        var status = new V1PodStatus
        {
            Phase = phase,
            Conditions = Conditions(pod, state, initStatuses, statuses, phase, now),
            InitContainerStatuses = hasInit ? initStatuses : null,
            ContainerStatuses = statuses,
            QosClass = old.QosClass,
            NominatedNodeName = old.NominatedNodeName,
            Reason = reason,
            Message = message,
            StartTime = old.StartTime ?? (state.StartTime is { } started ? Utc(started) : state.NodeName is null ? null : Utc(now)),
            EphemeralContainerStatuses = EphemeralStatuses(spec, state, runtimeName),
        };

        if (state.Sandbox is { } sandbox)
        {
            // A sandbox may have no address of its own (an ACI container group without ports).
            status.HostIP = sandbox.HostIP.Length > 0 ? sandbox.HostIP : null;
            status.HostIPs = sandbox.HostIP.Length > 0 ? [new V1HostIP { Ip = sandbox.HostIP }] : null;
            status.PodIP = sandbox.PodIP.Length > 0 ? sandbox.PodIP : null;
            status.PodIPs = sandbox.PodIP.Length > 0 ? [new V1PodIP { Ip = sandbox.PodIP }] : null;
        }
        else
        {
            status.HostIP = old.HostIP;
            status.HostIPs = old.HostIPs;
            status.PodIP = old.PodIP;
            status.PodIPs = old.PodIPs;
        }

        return status;
    }

    /// <summary>
    /// The statuses of the ephemeral containers: their runs as any container's, never ready, and without
    /// <c>started</c>, which the kubelet's probe manager sets only for init and app containers.
    /// </summary>
    private static List<V1ContainerStatus>? EphemeralStatuses(V1PodSpec spec, PodLifecycleState state, string runtimeName)
    {
        if (spec.EphemeralContainers is not { Count: > 0 } ephemeral)
        {
            return null;
        }

        return ephemeral.Select(c =>
        {
            var status = ContainerStatus(EphemeralContainers.AsContainer(c), state.Find(c.Name), state, hasInit: false, runtimeName);
            status.Ready = false;
            status.Started = null;
            return status;
        }).ToList();
    }

    private static V1ContainerStatus ContainerStatus(V1Container container, ContainerTrack? track, PodLifecycleState state, bool hasInit, string runtimeName)
    {
        var status = new V1ContainerStatus
        {
            Name = container.Name,
            Image = container.Image,
            ImageID = string.Empty,
            RestartCount = track?.RestartCount ?? 0,
            Ready = false,
            Started = false,
            State = new V1ContainerState(),
        };

        if (track is null)
        {
            status.State.Waiting = new V1ContainerStateWaiting { Reason = hasInit ? "PodInitializing" : "ContainerCreating" };
            return status;
        }

        var run = track.Run;
        var sandboxWait = state.Sandbox is null ? state.SandboxWait?.Containers.FirstOrDefault(c => c.Name == track.Name) : null;
        if (run is null)
        {
            status.State.Waiting = track.CreateError is { } error
                ? new V1ContainerStateWaiting { Message = error.Message, Reason = error.Reason }
                : sandboxWait is not null
                    ? new V1ContainerStateWaiting { Message = sandboxWait.Message, Reason = sandboxWait.Reason }
                    : new V1ContainerStateWaiting { Reason = hasInit ? "PodInitializing" : "ContainerCreating" };
            return status;
        }

        var containerId = ContainerId(state, track.Name, run.Attempt, runtimeName);
        if (run.Exited && state.PodScoped && state.Sandbox is null && run.Attempt < state.SandboxGeneration)
        {
            // Its pod-scoped sandbox is restarting: the container waits for the run the restart gives it.
            status.State.Waiting = new V1ContainerStateWaiting { Message = sandboxWait?.Message, Reason = sandboxWait?.Reason ?? "ContainerCreating" };
            status.LastState = new V1ContainerState { Terminated = Terminated(run, containerId) };
            return status;
        }

        status.ContainerID = containerId;
        if (!run.Exited)
        {
            status.State.Running = new V1ContainerStateRunning { StartedAt = Utc(run.StartedAt) };
            // Started once its startup probe has succeeded (or it has none), ready once its readiness probe says so
            // (or it has none), as the prober manager's UpdatePodStatus sets them.
            // A pod-scoped runtime (ACI) runs no probe of ours: its containers are started and ready while they run.
            status.Ready = state.PodScoped || track.IsReady;
            status.Started = state.PodScoped || track.IsStarted;
            if (track.PreviousRun is { Exited: true } previous)
            {
                status.LastState = new V1ContainerState { Terminated = Terminated(previous, ContainerId(state, track.Name, previous.Attempt, runtimeName)) };
            }

            return status;
        }

        if (track.RestartAt is { } restartAt && restartAt > run.FinishedAt && track.BackoffShown)
        {
            // Waiting out the back-off before the restart, once a sync has found it so (the first write after the exit shows
            // the termination): CrashLoopBackOff, with the run that crashed as the last state.
            status.State.Waiting = new V1ContainerStateWaiting
            {
                Message = CrashLoopBackoff.Message(restartAt - run.FinishedAt!.Value, track.Name, state.Pod),
                Reason = PodLifecycle.CrashLoopBackOffReason,
            };
            status.LastState = new V1ContainerState { Terminated = Terminated(run, containerId) };
            return status;
        }

        status.State.Terminated = Terminated(run, containerId);

        // An init container that completed is ready (the prober manager's UpdatePodStatus).
        status.Ready = track.Role == ContainerRole.Init && run.Succeeded;
        if (track.PreviousRun is { Exited: true } before)
        {
            status.LastState = new V1ContainerState { Terminated = Terminated(before, ContainerId(state, track.Name, before.Attempt, runtimeName)) };
        }

        return status;
    }

    private static V1ContainerStateTerminated Terminated(ContainerRun run, string containerId) => new()
    {
        ExitCode = run.ExitCode ?? 0,
        ContainerID = containerId,
        FinishedAt = run.FinishedAt is { } finished ? Utc(finished) : null,
        Message = run.Message,
        Reason = run.TerminatedReason,
        StartedAt = Utc(run.StartedAt),
    };

    private static string ContainerId(PodLifecycleState state, string container, int attempt, string runtimeName) =>
        $"{runtimeName}://{state.Pod.Uid}/{container}/{attempt}";

    private static List<V1PodCondition> Conditions(
        V1Pod pod,
        PodLifecycleState state,
        List<V1ContainerStatus> initStatuses,
        List<V1ContainerStatus> statuses,
        string phase,
        DateTimeOffset now)
    {
        var old = pod.Status?.Conditions ?? [];
        var conditions = old.Where(c => !KubeletConditions.Contains(c.Type)).ToList();

        if (state.NodeName is null && string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            if (state.Unschedulable is { } why)
            {
                conditions.Add(Condition(old, "PodScheduled", "False", now, "Unschedulable", why));
            }

            return conditions;
        }

        var completed = phase == PodPhases.Succeeded;
        conditions.Add(state.Sandbox is null && state.SandboxWait?.Reason is { } waitReason
            ? Condition(old, "PodReadyToStartContainers", "False", now, waitReason, state.SandboxWait.Message)
            : Condition(old, "PodReadyToStartContainers", state.Sandbox is not null && !state.SandboxRemoved ? "True" : "False", now));

        var incomplete = (pod.Spec.InitContainers ?? [])
            .Where(c => !InitDone(c, initStatuses.First(s => s.Name == c.Name)))
            .Select(c => c.Name)
            .ToList();
        conditions.Add(incomplete.Count == 0 || completed
            ? Condition(old, "Initialized", "True", now, completed && incomplete.Count > 0 ? "PodCompleted" : null)
            : Condition(old, "Initialized", "False", now, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]"));

        // Sidecars count toward readiness (restartable init containers, first), other init containers do not.
        var sidecars = (pod.Spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var unready = initStatuses.Where(s => sidecars.Contains(s.Name)).Concat(statuses).Where(s => !s.Ready).Select(s => s.Name).ToList();
        var (readyStatus, readyReason, readyMessage) = unready.Count == 0
            ? ("True", (string?)null, (string?)null)
            : completed
                ? ("False", "PodCompleted", (string?)null)
                : ("False", "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        conditions.Add(Condition(old, "ContainersReady", readyStatus, now, readyReason, readyMessage));

        var gates = (pod.Spec.ReadinessGates ?? [])
            .Select(g => g.ConditionType)
            .Where(t => old.FirstOrDefault(c => c.Type == t)?.Status != "True")
            .ToList();
        if (readyStatus == "True" && gates.Count > 0)
        {
            conditions.Add(Condition(old, "Ready", "False", now, "ReadinessGatesNotReady", $"corresponding condition of pod readiness gate \"{gates[0]}\" does not exist."));
        }
        else
        {
            conditions.Add(Condition(old, "Ready", readyStatus, now, readyReason, readyMessage));
        }

        conditions.Add(Condition(old, "PodScheduled", "True", now));
        return conditions;
    }

    private static bool InitDone(V1Container init, V1ContainerStatus status) =>
        init.RestartPolicy == "Always"
            ? status.Started == true || status.LastState?.Terminated is not null
            : status.State.Terminated?.ExitCode == 0;

    private static V1PodCondition Condition(
        IList<V1PodCondition> old, string type, string status, DateTimeOffset now, string? reason = null, string? message = null)
    {
        var previous = old.FirstOrDefault(c => c.Type == type);
        var transition = previous is not null && previous.Status == status ? previous.LastTransitionTime : Utc(now);
        return new V1PodCondition { Status = status, Type = type, LastTransitionTime = transition, Message = message, Reason = reason };
    }

    private static DateTime Utc(DateTimeOffset time) => KubeTime.Truncate(time);
}
