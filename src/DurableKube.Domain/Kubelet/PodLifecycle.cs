using k8s.Models;
using DurableKube.Domain.Kubelet.Probes;
using DurableKube.Domain.Serialization;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The kubelet's decisions for one pod, as pure functions. The pod's workflow only loops:
/// <see cref="Plan"/> says what to do now; an activity does it and its outcomes are folded in with
/// <see cref="Apply"/>; signals from outside are folded in with <see cref="Observe"/>; then it waits
/// for the next signal or for <see cref="KubeletPlan.WakeAt"/>.
/// </summary>
/// <remarks>
/// Times come in with the signals and outcomes (or as <c>now</c>, the workflow's replay-safe clock),
/// so the same inputs always give the same state: the functions can run inside an orchestrator.
/// </remarks>
public static partial class PodLifecycle
{
    /// <summary>
    /// Builds the starting state of a pod's lifecycle from its object. A new pod starts with nothing
    /// scheduled or started. A pod that has run before (its workflow is being started again, after it
    /// failed or was terminated) starts from what its status shows: its node and sandbox, each container's
    /// runs and restart count, the back-off its restarts have reached; and with a relist first, so the
    /// runtime corrects whatever the status missed (as a kubelet that restarts relists its containers).
    /// </summary>
    /// <param name="pod">The pod as stored.</param>
    /// <param name="settings">The kubelet settings in force.</param>
    /// <returns>The state; terminating if the pod is already being deleted.</returns>
    public static PodLifecycleState Initialize(V1Pod pod, KubeletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(settings);
        var spec = pod.Spec ?? throw new ArgumentException("The pod has no spec.", nameof(pod));
        var tracks = new List<ContainerTrack>();
        foreach (var init in spec.InitContainers ?? [])
        {
            tracks.Add(new ContainerTrack(init.Name, init.RestartPolicy == "Always" ? ContainerRole.Sidecar : ContainerRole.Init, Probes: ContainerProbes.Of(init)));
        }

        foreach (var app in spec.Containers ?? [])
        {
            tracks.Add(new ContainerTrack(app.Name, ContainerRole.App, Probes: ContainerProbes.Of(app)));
        }

        foreach (var ephemeral in spec.EphemeralContainers ?? [])
        {
            tracks.Add(new ContainerTrack(ephemeral.Name, ContainerRole.Ephemeral));
        }

        var terminal = pod.Status?.Phase is "Succeeded" or "Failed";
        var state = new PodLifecycleState(
            new PodIdentity(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Metadata.Uid),
            ParseRestartPolicy(spec.RestartPolicy),
            tracks,
            settings.Normalize(),
            TimeSpan.FromSeconds(Math.Max(0, spec.TerminationGracePeriodSeconds ?? 30)),
            Terminal: terminal)
        {
            ActiveDeadline = DeadlineOf(spec.ActiveDeadlineSeconds),
            StartTime = pod.Status?.StartTime is { } started ? KubeTime.ToInstant(started) : null,
            DeadlineExceeded = terminal && pod.Status?.Reason == DeadlineExceededReason,
        };
        state = Recover(state, pod);
        if (pod.Metadata.DeletionTimestamp is { } deletion)
        {
            state = state with { Termination = new PodTermination(KubeTime.ToInstant(deletion), ObjectGone: false) };
        }

        return state;
    }

    /// <summary>The reason of a pod that ran past its <c>activeDeadlineSeconds</c> (pkg/kubelet/active_deadline.go).</summary>
    public const string DeadlineExceededReason = "DeadlineExceeded";

    /// <summary>The message of a pod that ran past its <c>activeDeadlineSeconds</c>.</summary>
    public const string DeadlineExceededMessage = "Pod was active on the node longer than the specified deadline";

    /// <summary>Reads <c>spec.activeDeadlineSeconds</c> as a duration.</summary>
    /// <param name="seconds">The spec value.</param>
    /// <returns>The duration, or <see langword="null"/> for none.</returns>
    public static TimeSpan? DeadlineOf(long? seconds) => seconds is { } s and >= 0 ? TimeSpan.FromSeconds(Math.Min(s, int.MaxValue)) : null;

    /// <summary>Rebuilds what a pod's status shows it has been through; a pod with no status is left as new.</summary>
    private static PodLifecycleState Recover(PodLifecycleState state, V1Pod pod)
    {
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.EphemeralContainerStatuses ?? [])
            .Where(s => s.State?.Running is not null || s.State?.Terminated is not null || s.LastState?.Terminated is not null || s.RestartCount > 0)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        var sandbox = pod.Status?.PodIP is { Length: > 0 } podIP ? new SandboxAddresses(podIP, pod.Status.HostIP ?? podIP) : null;
        if (statuses.Count == 0 && sandbox is null)
        {
            return state;
        }

        var terminal = state.Terminal;
        state = state with
        {
            SandboxGeneration = statuses.Count == 0 ? 0 : statuses.Values.Max(s => Math.Max(0, s.RestartCount)),
            NodeName = string.IsNullOrEmpty(pod.Spec.NodeName) ? null : pod.Spec.NodeName,
            Sandbox = sandbox,
            NeedsRelist = true,
            Terminal = false,
        };
        foreach (var track in state.Containers)
        {
            if (!statuses.TryGetValue(track.Name, out var status))
            {
                continue;
            }

            var attempt = Math.Max(0, status.RestartCount);
            var backoff = attempt == 0 ? (TimeSpan?)null : BackoffAfter(attempt, state.Settings);
            var previous = Run(status.LastState?.Terminated, Math.Max(0, attempt - 1));
            if (status.State?.Running is { } running)
            {
                // What the probes had said of the run stays true: a kubelet that restarts does not make a ready container unready.
                var probed = track.Probes is null ? null : new RunProbeState(attempt, status.Started == true, status.Ready == true);
                state = state.With(track with { Run = new ContainerRun(attempt, Instant(running.StartedAt)), PreviousRun = previous, Backoff = backoff, Probed = probed });
            }
            else if (Run(status.State?.Terminated ?? status.LastState?.Terminated, attempt) is { } last)
            {
                // Put the run back as it ran, then let its exit decide the restart as it did the first time.
                var restored = track with { Run = last with { FinishedAt = null, ExitCode = null, Reason = null, Message = null }, Backoff = backoff };
                state = state.With(restored);
                state = OnExit(state, restored, last);
                if (status.State?.Waiting?.Reason == CrashLoopBackOffReason && state.Find(track.Name) is { RestartAt: not null } waiting)
                {
                    // The status already showed the back-off: it is not shown as a fresh termination again.
                    state = state.With(waiting with { BackoffShown = true });
                }
            }
        }

        // A pod that had finished stays finished whatever its containers' records say.
        return terminal ? state with { Terminal = true, Containers = state.Containers.Select(c => c with { RestartAt = null }).ToList() } : state;
    }

    private static ContainerRun? Run(V1ContainerStateTerminated? terminated, int attempt) => terminated is null
        ? null
        : new ContainerRun(
            attempt,
            Instant(terminated.StartedAt),
            Instant(terminated.FinishedAt ?? terminated.StartedAt),
            terminated.ExitCode,
            terminated.Reason is "Completed" or "Error" ? null : terminated.Reason,
            terminated.Message);

    /// <summary>The back-off a container has reached after a number of restarts (client-go's doubling, capped; resets are not recorded in a status).</summary>
    private static TimeSpan BackoffAfter(int restarts, KubeletSettings settings)
    {
        var backoff = settings.BackoffInitial;
        for (var i = 1; i < restarts && backoff < settings.BackoffMax; i++)
        {
            backoff += backoff;
        }

        return backoff > settings.BackoffMax ? settings.BackoffMax : backoff;
    }

    private static DateTimeOffset Instant(DateTime? time) => time is { } t ? KubeTime.ToInstant(t) : DateTimeOffset.UnixEpoch;

    /// <summary>Parses <c>spec.restartPolicy</c> (defaulted by the API to Always).</summary>
    /// <param name="value">The spec value.</param>
    /// <returns>The policy.</returns>
    public static PodRestartPolicy ParseRestartPolicy(string? value) => value switch
    {
        "Never" => PodRestartPolicy.Never,
        "OnFailure" => PodRestartPolicy.OnFailure,
        _ => PodRestartPolicy.Always,
    };

    /// <summary>Decides what to do now.</summary>
    /// <param name="state">The pod's state.</param>
    /// <param name="now">The workflow's current time.</param>
    /// <returns>
    /// The plan. Its commands assume each earlier command succeeds (bind, then create the sandbox, then
    /// start containers), so a new pod starts in a single activity; after the outcomes are applied the
    /// workflow plans again.
    /// </returns>
    public static KubeletPlan Plan(PodLifecycleState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Removed)
        {
            return new KubeletPlan([], WriteStatus: false, WakeAt: null, Done: true);
        }

        if (state.NeedsRelist)
        {
            return new KubeletPlan([new Relist()], WriteStatus: false, WakeAt: null, Done: false);
        }

        if (state.Termination is { } termination)
        {
            return PlanTermination(state, termination, now);
        }

        var commands = new List<KubeletCommand>();
        var wake = new WakeTime();
        if (state.Terminal)
        {
            PlanTerminalStop(state, now, commands, wake);
            return Finish(state, commands, wake);
        }

        if (state.DeadlineAt is { } deadline)
        {
            if (now >= deadline)
            {
                // Active too long: the pod fails, and its containers are stopped as in a termination (sidecars last).
                commands.Add(new EnforceDeadline(now));
                PlanStops(state.Containers, now + state.GracePeriod, now, commands, wake);
                return Finish(state, commands, wake);
            }

            wake.Add(deadline);
        }

        if (state.NodeName is null)
        {
            if (state.ScheduleRetryAt is { } retry && retry > now)
            {
                wake.Add(retry);
                return Finish(state, commands, wake);
            }

            commands.Add(new BindPod());
        }

        if (state.Sandbox is null)
        {
            if (state.SandboxWait is { } wait && wait.RetryAt > now)
            {
                // A pod-scoped runtime is still creating (or restarting) the sandbox, or could not create it now.
                wake.Add(wait.RetryAt);
                return Finish(state, commands, wake);
            }

            commands.Add(new CreateSandbox());
        }

        if (state.VolumesStale)
        {
            commands.Add(new RefreshVolumes());
        }

        PlanProbeKills(state, now, commands, wake);
        var initialized = PlanInitContainers(state, now, commands, wake);
        if (initialized)
        {
            PlanAppContainers(state, now, commands, wake);
        }

        // Ephemeral containers may start before initialization is complete, once the pod has its sandbox.
        commands.AddRange(state.Containers
            .Where(c => c.Role == ContainerRole.Ephemeral && c.NeverStarted && c.CreateError is null)
            .Select(c => new StartContainer(c.Name, FirstAttempt(state))));

        return Finish(state, commands, wake);
    }

    /// <summary>Folds the outcomes of a plan's commands into the state.</summary>
    /// <param name="state">The state the plan was made from.</param>
    /// <param name="outcomes">The outcomes, in command order.</param>
    /// <returns>The new state.</returns>
    public static PodLifecycleState Apply(PodLifecycleState state, IEnumerable<KubeletOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            state = ApplyOne(state, outcome);
        }

        return state;
    }

    /// <summary>Folds a signal from outside (an exit, a deletion) into the state.</summary>
    /// <param name="state">The state.</param>
    /// <param name="signal">The signal; repeated or stale signals change nothing.</param>
    /// <returns>The new state.</returns>
    public static PodLifecycleState Observe(PodLifecycleState state, PodSignal signal)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(signal);
        switch (signal)
        {
            case ContainerExited exited:
                var track = state.Find(exited.Name);
                if (track?.Run is not { Exited: false } run || run.Attempt != exited.Attempt)
                {
                    return state;
                }

                return OnExit(state, track, run.Exit(exited.FinishedAt, exited.ExitCode, exited.Reason, exited.Message));

            case PodDeletionRequested deletion:
                if (state.Termination is { } current)
                {
                    var shorter = deletion.KillAt < current.KillAt ? deletion.KillAt : current.KillAt;
                    var gone = current.ObjectGone || deletion.ObjectGone;
                    return shorter == current.KillAt && gone == current.ObjectGone
                        ? state
                        : state with { Termination = new PodTermination(shorter, gone) };
                }

                return state.Changed() with
                {
                    Termination = new PodTermination(deletion.KillAt, deletion.ObjectGone),
                    Containers = state.Containers.Select(c => c with { RestartAt = null }).ToList(),
                };

            case ContainerProbed probed:
                return OnProbed(state, probed);

            case ActiveDeadlineChanged changed:
                var deadline = DeadlineOf(changed.Seconds);
                return deadline == state.ActiveDeadline ? state : state with { ActiveDeadline = deadline };

            case ConfigSourceChanged changed:
                return OnConfigSourceChanged(state, changed);

            case SchedulingChance chance:
                // Brought forward, never put off: to the chance, or to the end of the back-off if that is later.
                if (state.NodeName is not null || state.ScheduleRetryAt is not { } retryAt)
                {
                    return state;
                }

                var soonest = state.ScheduleBackoffUntil is { } backoff && backoff > chance.At ? backoff : chance.At;
                return soonest < retryAt ? state with { ScheduleRetryAt = soonest } : state;

            case EphemeralContainersAdded added:
                var known = state.Containers.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                var fresh = added.Names.Where(known.Add).Select(n => new ContainerTrack(n, ContainerRole.Ephemeral)).ToList();
                return fresh.Count == 0 ? state : state.Changed() with { Containers = [.. state.Containers, .. fresh] };

            default:
                throw new ArgumentException($"Unknown signal {signal.GetType().Name}.", nameof(signal));
        }
    }

    /// <summary>The waiting reason of a container waiting out its restart back-off.</summary>
    public const string CrashLoopBackOffReason = "CrashLoopBackOff";

    /// <summary>
    /// Whether the kubelet writes the pod's status before this command runs, when it is the first such command of a
    /// sync (the SyncPod activity): a sync writes the status it found
    /// (<c>SyncPod</c> calls <c>SetPodStatus</c>) before the runtime creates the sandbox or starts a container. So an
    /// exit is shown terminated (Error, Completed) before the restart, a new pod <c>ContainerCreating</c> (or
    /// <c>Init:0/N</c>) before its containers start, and an app container <c>PodInitializing</c> once the last init
    /// container has completed. Binding is the scheduler's, not a sync's.
    /// </summary>
    /// <param name="command">The next command of a plan.</param>
    /// <returns><see langword="true"/> if the status is written first (when it has changed since the last write).</returns>
    public static bool WritesStatusBefore(KubeletCommand command) => command is CreateSandbox or StartContainer or RestartSandbox;

    /// <summary>
    /// What a sync finds of the containers waiting out a back-off (the kubelet's <c>doBackOff</c>): each exited run
    /// whose restart is delayed, and is not being restarted by these commands, is shown in CrashLoopBackOff from the
    /// status written after the sync on; the status written first still shows its termination.
    /// </summary>
    /// <param name="state">The state the sync starts from, with the outcomes so far.</param>
    /// <param name="commands">The sync's commands.</param>
    /// <returns>The outcomes to fold in; none if nothing new waits.</returns>
    public static IReadOnlyList<KubeletOutcome> BackoffsFound(PodLifecycleState state, IReadOnlyList<KubeletCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Any(c => c is RestartSandbox))
        {
            return [];
        }

        var starting = commands.OfType<StartContainer>().Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return state.Containers
            .Where(c => !c.BackoffShown && c.Run is { Exited: true } run && c.RestartAt is { } due && due > run.FinishedAt && !starting.Contains(c.Name))
            .Select(c => (KubeletOutcome)new BackoffShown(c.Name, c.Run!.Attempt))
            .ToList();
    }

    /// <summary>Whether the pod has reached the end of its life on the node (phase Succeeded or Failed is due).</summary>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> if no container will start again.</returns>
    public static bool IsFinished(PodLifecycleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Containers.Any(c => c.Role == ContainerRole.Init && c.Run is { Exited: true, Succeeded: false } && c.RestartAt is null))
        {
            return true;
        }

        var apps = state.Containers.Where(c => c.Role == ContainerRole.App).ToList();
        return apps.Count > 0 && apps.All(c => c.Run is { Exited: true } && c.RestartAt is null);
    }

    /// <summary>Plans init containers and sidecars, in order; returns whether the app containers may start.</summary>
    private static bool PlanInitContainers(PodLifecycleState state, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake)
    {
        var appsStarted = state.Containers.Any(c => c.Role == ContainerRole.App && !c.NeverStarted);
        foreach (var track in state.Containers.Where(c => c.Role is ContainerRole.Init or ContainerRole.Sidecar))
        {
            if (track.CreateError is not null)
            {
                RetryCreate(state, track, now, commands, wake);
                return false;
            }

            if (track.NeverStarted)
            {
                commands.Add(new StartContainer(track.Name, FirstAttempt(state)));
                return false;
            }

            if (track.IsRunning)
            {
                // The next container starts once a sidecar has started: it runs, and its startup probe (if any) has
                // succeeded (the kubelet's computeInitContainerActions). A pod-scoped runtime started them all together.
                if (track.Role == ContainerRole.Init || !(track.IsStarted || state.PodScoped || appsStarted))
                {
                    return false;
                }

                continue;
            }

            // The run has exited.
            if (track.Role == ContainerRole.Init && track.Run!.Succeeded && track.RestartAt is null)
            {
                continue;
            }

            if (track.RestartAt is not { } restartAt)
            {
                // A failed init container that will not be retried: the pod has failed.
                return false;
            }

            if (restartAt <= now)
            {
                commands.Add(Restart(state, track));
            }
            else
            {
                wake.Add(restartAt);
            }

            // A sidecar restarting after the app containers started (or not started yet again) does not hold them back.
            if (!(track.Role == ContainerRole.Sidecar && appsStarted))
            {
                return false;
            }
        }

        return true;
    }

    private static void PlanAppContainers(PodLifecycleState state, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake)
    {
        foreach (var track in state.Containers.Where(c => c.Role == ContainerRole.App))
        {
            if (track.CreateError is not null)
            {
                RetryCreate(state, track, now, commands, wake);
                continue;
            }

            if (track.IsRunning)
            {
                continue;
            }

            if (track.NeverStarted)
            {
                commands.Add(new StartContainer(track.Name, FirstAttempt(state)));
            }
            else if (track.RestartAt is { } restartAt)
            {
                if (restartAt <= now)
                {
                    commands.Add(Restart(state, track));
                }
                else
                {
                    wake.Add(restartAt);
                }
            }
        }
    }

    /// <summary>The attempt number of a container's first run: 0, or the generation a pod-scoped sandbox has reached.</summary>
    private static int FirstAttempt(PodLifecycleState state) => state.PodScoped ? state.SandboxGeneration : 0;

    /// <summary>
    /// What a due restart takes: start the container's next run; or, on a pod-scoped runtime, restart the whole
    /// sandbox, and then take on the run the restart gave each container.
    /// </summary>
    /// <summary>
    /// A ConfigMap or Secret the pod names appeared or changed: what waits for one (a container in CreateContainerConfigError,
    /// a sandbox held by FailedMount) is tried again now rather than at its next retry.
    /// </summary>
    private static PodLifecycleState OnConfigSourceChanged(PodLifecycleState state, ConfigSourceChanged changed)
    {
        var containers = state.Containers
            .Select(c => c.CreateError is { WaitsForObject: true } && c.CreateRetryAt is { } at && at > changed.At ? c with { CreateRetryAt = changed.At } : c)
            .ToList();
        var wait = state.SandboxWait;
        if (state.Sandbox is null && wait is not null && wait.RetryAt > changed.At
            && (wait.Reason == FailedMountReason || wait.Containers.Any(c => c.Reason == ContainerCreateError.ConfigErrorReason)))
        {
            wait = wait with { RetryAt = changed.At };
        }

        var stale = state.VolumesStale || (changed.Mounted && state.Sandbox is not null && state.Termination is null && !state.Terminal);
        return state with { Containers = containers, SandboxWait = wait, VolumesStale = stale };
    }

    /// <summary>The reason a pod waits with when a volume cannot be set up (the kubelet's event reason).</summary>
    public const string FailedMountReason = "FailedMount";

    /// <summary>
    /// The reason a pod waits with when it is bound to a node that has no container runtime in this control plane (a node
    /// registered through the API by a kubelet elsewhere): no kubelet of this control plane runs it.
    /// </summary>
    public const string NoRuntimeReason = "NodeHasNoRuntime";

    /// <summary>
    /// A container that could not be created for want of a ConfigMap or Secret is tried again when its retry is due (the
    /// kubelet's pod worker syncs it again); one held by another configuration error waits for the pod to change.
    /// </summary>
    private static void RetryCreate(PodLifecycleState state, ContainerTrack track, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake)
    {
        if (track.CreateRetryAt is not { } retryAt || track.IsRunning)
        {
            return;
        }

        if (retryAt > now)
        {
            wake.Add(retryAt);
            return;
        }

        commands.Add(track.NeverStarted ? new StartContainer(track.Name, FirstAttempt(state)) : Restart(state, track));
    }

    private static KubeletCommand Restart(PodLifecycleState state, ContainerTrack track)
    {
        if (!state.PodScoped)
        {
            return new StartContainer(track.Name, track.NextAttempt);
        }

        return track.Run!.Attempt < state.SandboxGeneration
            ? new StartContainer(track.Name, state.SandboxGeneration)
            : new RestartSandbox(state.SandboxGeneration + 1);
    }

    private static KubeletPlan Finish(PodLifecycleState state, List<KubeletCommand> commands, WakeTime wake)
    {
        // One sandbox restart restarts every container: ask for it once, and start nothing beside it.
        if (commands.OfType<RestartSandbox>().FirstOrDefault() is { } restart)
        {
            commands = [.. commands.Where(c => c is not StartContainer and not RestartSandbox), restart];
        }

        return new(commands, WriteStatus: state.Revision != state.WrittenRevision, WakeAt: wake.Earliest, Done: false);
    }

    private static PodLifecycleState ApplyOne(PodLifecycleState state, KubeletOutcome outcome)
    {
        switch (outcome)
        {
            case PodBound bound:
                state = state with { StartTime = state.StartTime ?? bound.At };
                return state.NodeName == bound.NodeName
                    ? state
                    : state.Changed() with { NodeName = bound.NodeName, Unschedulable = null, ScheduleRetryAt = null, ScheduleAttempts = 0, ScheduleBackoffUntil = null };

            case DeadlineEnforced enforced:
                if (state.Terminal || state.Termination is not null)
                {
                    return state;
                }

                // Nothing restarts; what still runs gets SIGKILL once the grace period is over.
                return state.Changed() with
                {
                    Terminal = true,
                    DeadlineExceeded = true,
                    StopDeadline = enforced.At + state.GracePeriod,
                    Containers = state.Containers.Select(c => c with { RestartAt = null }).ToList(),
                };

            case PodUnschedulable unschedulable:
                // Tried again when something changes that may let it fit, once its back-off allows, or at the latest
                // after ScheduleRetry (kube-scheduler's podMaxInUnschedulablePodsDuration).
                var changed = state.Unschedulable != unschedulable.Message;
                var attempts = state.ScheduleAttempts + 1;
                state = state with
                {
                    Unschedulable = unschedulable.Message,
                    ScheduleAttempts = attempts,
                    ScheduleBackoffUntil = unschedulable.At + SchedulingBackoff.After(attempts),
                    ScheduleRetryAt = unschedulable.At + state.Settings.ScheduleRetry,
                };
                return changed ? state.Changed() : state;

            case SandboxCreated created:
                state = state with { PodScoped = created.PodScoped };
                return state.Sandbox == created.Addresses && state.SandboxWait is null
                    ? state
                    : state.Changed() with { Sandbox = created.Addresses, SandboxWait = null };

            case SandboxPending pending:
                return pending.Wait.ShowsSameAs(state.SandboxWait)
                    ? state with { SandboxWait = pending.Wait, PodScoped = pending.PodScoped }
                    : state.Changed() with { SandboxWait = pending.Wait, PodScoped = pending.PodScoped };

            case SandboxRestarted restarted:
                return OnSandboxRestarted(state, restarted);

            case SandboxLost lost:
                return OnSandboxLost(state, lost);

            case ContainerStarted started:
                return OnStarted(state, started);

            case ContainerNotCreated notCreated:
                var track = state.Find(notCreated.Name);
                if (track is null)
                {
                    return state;
                }

                return track.CreateError == notCreated.Error
                    ? state with { Containers = state.Containers.Select(c => c.Name == track.Name ? c with { CreateRetryAt = notCreated.RetryAt } : c).ToList() }
                    : state.With(track with { CreateError = notCreated.Error, CreateRetryAt = notCreated.RetryAt });

            case StopSent sent:
                var stopped = state.Find(sent.Name);
                if (stopped?.Run is not { } run || run.Attempt != sent.Attempt || run.Exited || stopped.StopRequested == StopSignal.Kill)
                {
                    return state;
                }

                // A stop request is not shown in the status: no revision bump.
                return state with
                {
                    Containers = state.Containers.Select(c => c.Name == sent.Name ? c with { StopRequested = sent.Signal } : c).ToList(),
                };

            case SandboxRemoved:
                if (state.PodScoped && state.Containers.Any(c => c.IsRunning))
                {
                    // Its containers went with the sandbox.
                    var gone = state.Containers.Select(c => c.IsRunning
                        ? c with { Run = c.Run!.Exit(state.Termination?.KillAt ?? c.Run.StartedAt, 137, null, SandboxRemovedMessage), RestartAt = null }
                        : c).ToList();
                    return state.Changed() with { SandboxRemoved = true, Containers = gone };
                }

                return state with { SandboxRemoved = true };

            case PodRemoved:
                return state with { Removed = true };

            case VolumesRefreshed:
                return state with { VolumesStale = false };

            case BackoffShown shown:
                var waiting = state.Find(shown.Name);
                return waiting is { BackoffShown: false, RestartAt: not null, Run: { Exited: true } exitedRun } && exitedRun.Attempt == shown.Attempt
                    ? state.With(waiting with { BackoffShown = true })
                    : state;

            case DeletionObserved observed:
                return Observe(state, new PodDeletionRequested(observed.KillAt, observed.ObjectGone));

            case RunExited exited:
                return Observe(state, exited.Exit);

            case Relisted relisted:
                return state with { NeedsRelist = false, PodScoped = relisted.PodScoped };

            default:
                throw new ArgumentException($"Unknown outcome {outcome.GetType().Name}.", nameof(outcome));
        }
    }

    /// <summary>The message of a run ended because its pod-scoped sandbox restarted.</summary>
    public const string SandboxRestartMessage = "Restarted with every container of its pod: the runtime restarts a pod's containers only together";

    /// <summary>The message of a run ended because its pod-scoped sandbox was removed.</summary>
    public const string SandboxRemovedMessage = "Stopped with its pod's sandbox";

    /// <summary>The reason of a run whose container the runtime can no longer find (the kubelet's, with exit code 137).</summary>
    public const string ContainerStatusUnknownReason = "ContainerStatusUnknown";

    /// <summary>
    /// A pod-scoped sandbox is gone behind the kubelet's back. As the kubelet (<c>computePodActions</c>): a pod whose
    /// policy restarts failed containers gets a new sandbox at once, every container restarting in it with the next
    /// generation (a restart counted); a pod with <c>restartPolicy: Never</c> gets none, and each container not yet
    /// terminated ends as the kubelet reports a container it cannot locate (exit 137, <c>ContainerStatusUnknown</c>),
    /// so the pod fails.
    /// </summary>
    private static PodLifecycleState OnSandboxLost(PodLifecycleState state, SandboxLost lost)
    {
        var anyRunning = state.Containers.Any(c => c.IsRunning);
        if (!anyRunning && state.Sandbox is null && state.SandboxGeneration >= lost.Attempt)
        {
            // Already taken into account (an outcome repeated), or the sandbox is being made again.
            return state;
        }

        ContainerRun Lost(ContainerRun run) => run.Exit(lost.At, 137, ContainerStatusUnknownReason, lost.Message);

        if (state.RestartPolicy == PodRestartPolicy.Never || state.Termination is not null || state.Terminal)
        {
            var ended = state.Containers.Select(c => c.Run is { Exited: true }
                ? c with { RestartAt = null }
                : c with { Run = Lost(c.Run ?? new ContainerRun(FirstAttempt(state), lost.At)), RestartAt = null, StopRequested = null, ProbeKill = null }).ToList();
            return state.Changed() with
            {
                Containers = ended,
                Terminal = state.Termination is null || state.Terminal,
                StopDeadline = state.StopDeadline ?? lost.At,
            };
        }

        var generation = Math.Max(
            Math.Max(lost.Attempt, state.SandboxGeneration),
            state.Containers.Select(c => c.Run is { } run ? run.Attempt + 1 : 0).DefaultIfEmpty(0).Max());
        var containers = state.Containers.Select(c => c.Run is null
            ? c
            : c with
            {
                Run = c.IsRunning ? Lost(c.Run) : c.Run,
                RestartAt = c.RestartAt is { } due && due < lost.At ? due : lost.At,
                StopRequested = null,
                ProbeKill = null,
                BackoffShown = false,
            }).ToList();
        return state.Changed() with
        {
            Containers = containers,
            Sandbox = null,
            SandboxGeneration = generation,
            SandboxWait = null,
        };
    }

    private static PodLifecycleState OnSandboxRestarted(PodLifecycleState state, SandboxRestarted restarted)
    {
        if (restarted.Attempt <= state.SandboxGeneration)
        {
            return state;
        }

        // Every container restarts: the runs still going end now, and each container takes the run the
        // restart gives it once the sandbox is ready again.
        var containers = state.Containers.Select(c => c.Run is null
            ? c
            : c with
            {
                Run = c.IsRunning ? c.Run.Exit(restarted.At, 137, null, SandboxRestartMessage) : c.Run,
                RestartAt = c.RestartAt is { } due && due < restarted.At ? due : restarted.At,
                StopRequested = null,
            }).ToList();
        return state.Changed() with
        {
            Containers = containers,
            Sandbox = null,
            SandboxGeneration = restarted.Attempt,
            SandboxWait = new SandboxWait(null, null, [], restarted.At),
        };
    }

    private static PodLifecycleState OnStarted(PodLifecycleState state, ContainerStarted started)
    {
        var track = state.Find(started.Name);
        if (track is null)
        {
            return state;
        }

        if (track.Run is { } current && current.Attempt >= started.Run.Attempt)
        {
            // A repeated outcome for a run already known; it may only add an exit we had not seen.
            if (current.Attempt == started.Run.Attempt && !current.Exited && started.Run.Exited)
            {
                return OnExit(state, track, current.Exit(started.Run.FinishedAt!.Value, started.Run.ExitCode ?? 128, started.Run.Reason, started.Run.Message));
            }

            return state;
        }

        var backoff = track.Run is { } previous
            ? CrashLoopBackoff.Next(track.Backoff, previous, state.Settings)
            : track.Backoff;
        var startedTrack = track with
        {
            PreviousRun = track.Run,
            Run = started.Run.Exited ? started.Run with { FinishedAt = null, ExitCode = null, Reason = null, Message = null } : started.Run,
            Backoff = backoff,
            RestartAt = null,
            CreateError = null,
            CreateRetryAt = null,
            StopRequested = null,
            Probed = null,
            ProbeKill = null,
            BackoffShown = false,
        };
        state = state.With(startedTrack);
        return started.Run.Exited
            ? OnExit(state, startedTrack, started.Run)
            : state;
    }

    private static PodLifecycleState OnExit(PodLifecycleState state, ContainerTrack track, ContainerRun exited)
    {
        DateTimeOffset? restartAt = null;
        if (state.Termination is null && !state.Terminal
            && RestartRules.ShouldRestart(state.RestartPolicy, track.Role, exited.ExitCode ?? 0))
        {
            restartAt = exited.FinishedAt!.Value + CrashLoopBackoff.DelayAfter(track.Backoff, exited, state.Settings);
        }

        state = state.With(track with { Run = exited, RestartAt = restartAt, StopRequested = null, ProbeKill = null, BackoffShown = false });
        if (!state.Terminal && state.Termination is null && IsFinished(state))
        {
            // The pod is done: nothing restarts, and sidecars still running are stopped within the grace period.
            state = state with
            {
                Terminal = true,
                StopDeadline = exited.FinishedAt!.Value + state.GracePeriod,
                Containers = state.Containers.Select(c => c with { RestartAt = null }).ToList(),
            };
        }

        return state;
    }

    /// <summary>
    /// Folds a probe's result into the container's run (pkg/kubelet/prober's results managers): readiness sets it ready
    /// or not, a startup success marks it started, and a liveness or startup failure has it stopped (SIGTERM, then
    /// SIGKILL after the probe's grace period or the pod's) so that its exit goes through the restart policy and back-off.
    /// </summary>
    private static PodLifecycleState OnProbed(PodLifecycleState state, ContainerProbed probed)
    {
        var track = state.Find(probed.Name);
        if (track?.Run is not { Exited: false } run || run.Attempt != probed.Attempt || track.Probes is null)
        {
            // A result for another run, or for a container without probes: stale.
            return state;
        }

        var current = track.Probed is { } known && known.Attempt == run.Attempt ? known : new RunProbeState(run.Attempt);
        RunProbeState next;
        switch (probed.Kind, probed.Result)
        {
            case (ProbeKind.Readiness, _):
                next = current with { Ready = probed.Result == ProbeResult.Success };
                break;
            case (ProbeKind.Startup, ProbeResult.Success):
                next = current with { Started = true };
                break;
            case (ProbeKind.Liveness or ProbeKind.Startup, ProbeResult.Failure):
                return OnProbeFailed(state, track, run, probed);
            default:
                return state;
        }

        return next == track.Probed ? state : state.With(track with { Probed = next });
    }

    private static PodLifecycleState OnProbeFailed(PodLifecycleState state, ContainerTrack track, ContainerRun run, ContainerProbed probed)
    {
        if (track.ProbeKill?.Attempt == run.Attempt || state.Termination is not null || state.Terminal || state.PodScoped)
        {
            // Already being stopped, or the pod is ending anyway; a pod-scoped runtime runs its own probes.
            return state;
        }

        // The stopped run exits with a signal's code, which only Never (for an app container) does not restart.
        var restarts = RestartRules.ShouldRestart(state.RestartPolicy, track.Role, exitCode: 137);
        var probe = probed.Kind == ProbeKind.Startup ? "startup" : "liveness";
        var message = $"Container {track.Name} failed {probe} probe, will {(restarts ? string.Empty : "not ")}be restarted";
        var kill = new ProbeKill(run.Attempt, probed.Kind, probed.At + track.Probes!.GraceFor(probed.Kind, state.GracePeriod), message);

        // The stop is not shown in the status (the exit will be): no revision bump.
        return state with { Containers = state.Containers.Select(c => c.Name == track.Name ? c with { ProbeKill = kill } : c).ToList() };
    }

    /// <summary>Stops the runs that failed a liveness or startup probe: SIGTERM, then SIGKILL once the grace period is over.</summary>
    private static void PlanProbeKills(PodLifecycleState state, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake)
    {
        foreach (var track in state.Containers)
        {
            if (track.ProbeKill is not { } kill || track.Run is not { Exited: false } run || run.Attempt != kill.Attempt)
            {
                continue;
            }

            if (now >= kill.KillAt)
            {
                if (track.StopRequested != StopSignal.Kill)
                {
                    commands.Add(new StopContainer(track.Name, run.Attempt, StopSignal.Kill, kill.Message));
                }
            }
            else
            {
                if (track.StopRequested is null)
                {
                    commands.Add(new StopContainer(track.Name, run.Attempt, StopSignal.Terminate, kill.Message));
                }

                wake.Add(kill.KillAt);
            }
        }
    }

    /// <summary>Collects the earliest of several wake-up times.</summary>
    private sealed class WakeTime
    {
        public DateTimeOffset? Earliest { get; private set; }

        public void Add(DateTimeOffset time)
        {
            if (Earliest is null || time < Earliest)
            {
                Earliest = time;
            }
        }
    }
}
