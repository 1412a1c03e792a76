namespace DurableKube.Domain.Kubelet;

/// <summary>How the kubelet stops a pod's containers: on deletion, at its terminal stop, past its active deadline.</summary>
public static partial class PodLifecycle
{
    /// <summary>
    /// The shortest time between SIGTERM and SIGKILL the kubelet gives a container whose turn to stop came when the grace
    /// period was (nearly) over (<c>minimumGracePeriodInSeconds</c>, pkg/kubelet/kuberuntime/kuberuntime_container.go).
    /// </summary>
    public static readonly TimeSpan MinimumStopWindow = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When a running container's turn to get SIGTERM comes (the kubelet's <c>terminationOrdering</c>, 1.29+): app, init
    /// and ephemeral containers at once; a sidecar once every app container and the sidecar declared next after it have
    /// exited, so sidecars stop in the reverse order of their declaration after the app containers; or, if they are still
    /// running then, when the grace period is over.
    /// </summary>
    /// <param name="containers">The pod's containers, in the state's order (init containers and sidecars as declared, then app containers).</param>
    /// <param name="track">The running container.</param>
    /// <param name="deadline">When the grace period, shared by all the pod's containers, ends.</param>
    /// <param name="now">The current time.</param>
    /// <returns>When its turn came (never later than <paramref name="deadline"/>), or <see langword="null"/> if it has not come yet.</returns>
    /// <remarks>
    /// As in the kubelet, a sidecar waits only for the next one declared after it, not for all of them: that one waits for
    /// the next, and so on, so running sidecars stop one at a time from the last; a sidecar that was not running does not
    /// hold the one before it, which then waits for no later sidecar. The turn is taken from the exits the state holds,
    /// so it stays the same whenever the plan is made again.
    /// </remarks>
    public static DateTimeOffset? StopTurn(IReadOnlyList<ContainerTrack> containers, ContainerTrack track, DateTimeOffset deadline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(track);
        if (track.Role != ContainerRole.Sidecar)
        {
            return DateTimeOffset.MinValue;
        }

        var index = containers.ToList().FindIndex(c => c.Name == track.Name);
        var prerequisites = containers.Where(c => c.Role == ContainerRole.App)
            .Concat(containers.Skip(index + 1).Where(c => c.Role == ContainerRole.Sidecar).Take(1))
            .ToList();
        if (prerequisites.Any(c => c.IsRunning))
        {
            return now >= deadline ? deadline : null;
        }

        var last = prerequisites.Select(c => c.Run?.FinishedAt).Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        return last < deadline ? last : deadline;
    }

    private static KubeletPlan PlanTermination(PodLifecycleState state, PodTermination termination, DateTimeOffset now)
    {
        var commands = new List<KubeletCommand>();
        var wake = new WakeTime();
        if (!state.Containers.Any(c => c.IsRunning))
        {
            if (!state.SandboxRemoved)
            {
                commands.Add(new RemoveSandbox());
            }

            if (!termination.ObjectGone)
            {
                commands.Add(new RemovePod());
            }

            if (commands.Count == 0)
            {
                return new KubeletPlan([], WriteStatus: false, WakeAt: null, Done: true);
            }

            return new KubeletPlan(commands, WriteStatus: false, WakeAt: null, Done: false);
        }

        if (state.PodScoped)
        {
            // A pod-scoped runtime stops no container alone: the sandbox goes, and everything in it with it.
            commands.Add(new RemoveSandbox());
            return new KubeletPlan(commands, WriteStatus: false, WakeAt: null, Done: false);
        }

        PlanStops(state.Containers, termination.KillAt, now, commands, wake);
        return Finish(state, commands, wake);
    }

    /// <summary>A finished pod's containers still running (its sidecars) are stopped as in a deletion, within the pod's grace period.</summary>
    private static void PlanTerminalStop(PodLifecycleState state, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake) =>
        PlanStops(state.Containers, state.StopDeadline ?? now, now, commands, wake);

    /// <summary>
    /// Stops the running containers within a grace period they share (the kubelet's <c>killContainersWithSyncResult</c>):
    /// each gets SIGTERM when its turn comes (<see cref="StopTurn"/>), and SIGKILL when the grace period ends, or
    /// <see cref="MinimumStopWindow"/> after its turn if that is later.
    /// </summary>
    private static void PlanStops(IReadOnlyList<ContainerTrack> containers, DateTimeOffset deadline, DateTimeOffset now, List<KubeletCommand> commands, WakeTime wake)
    {
        foreach (var track in containers.Where(c => c.IsRunning))
        {
            if (StopTurn(containers, track, deadline, now) is not { } turn)
            {
                // A sidecar waiting for its turn: an exit wakes the workflow, or the end of the grace period.
                wake.Add(deadline);
                continue;
            }

            var killAt = track.Role == ContainerRole.Sidecar && turn + MinimumStopWindow > deadline ? turn + MinimumStopWindow : deadline;
            if (now >= killAt)
            {
                if (track.StopRequested != StopSignal.Kill)
                {
                    commands.Add(new StopContainer(track.Name, track.Run!.Attempt, StopSignal.Kill));
                }
            }
            else
            {
                if (track.StopRequested is null)
                {
                    commands.Add(new StopContainer(track.Name, track.Run!.Attempt, StopSignal.Terminate));
                }

                wake.Add(killAt);
            }
        }
    }
}
