using DurableKube.Domain.Kubelet.Timeline;

namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The bounded record of each container's runs that the pod's workflow keeps in its durable state (the kubelet's status
/// keeps only the last termination), and what the workflow publishes of it as its custom status: every run of every
/// container with its start, exit, exit code and reason, the back-off waited before the next run, and the pending
/// restart. Pure, so the orchestrator may call it on every turn.
/// </summary>
public static class RunHistory
{
    /// <summary>How many runs of one container are kept.</summary>
    public const int Limit = 10;

    /// <summary>Merges runs into a history: a run of an attempt already there replaces it (it has exited since), the oldest fall off.</summary>
    /// <param name="history">The history so far, oldest first.</param>
    /// <param name="runs">Runs the state holds now (the previous and the current one), any of them <see langword="null"/>.</param>
    /// <returns>The history, oldest first, at most <see cref="Limit"/> runs.</returns>
    public static IReadOnlyList<ContainerRun> Merge(IReadOnlyList<ContainerRun>? history, params ContainerRun?[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var byAttempt = new SortedDictionary<int, ContainerRun>();
        foreach (var run in history ?? [])
        {
            byAttempt[run.Attempt] = run;
        }

        foreach (var run in runs)
        {
            if (run is not null)
            {
                byAttempt[run.Attempt] = run;
            }
        }

        var all = byAttempt.Values.ToList();
        return all.Count > Limit ? all[^Limit..] : all;
    }

    /// <summary>Folds each track's previous and current runs into its history. Changes nothing the status shows (no revision bump).</summary>
    /// <param name="state">The state after a turn.</param>
    /// <returns>The state with every track's history up to date.</returns>
    public static PodLifecycleState Record(PodLifecycleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var changed = false;
        var tracks = new List<ContainerTrack>(state.Containers.Count);
        foreach (var track in state.Containers)
        {
            var merged = Merge(track.History, track.PreviousRun, track.Run);
            if (track.History is { } old && old.SequenceEqual(merged))
            {
                tracks.Add(track);
                continue;
            }

            changed = true;
            tracks.Add(track with { History = merged });
        }

        return changed ? state with { Containers = tracks } : state;
    }

    /// <summary>What the pod's workflow publishes of its runs (its custom status' detail).</summary>
    /// <param name="state">The state.</param>
    /// <returns>The runs of every container, and each pending restart.</returns>
    public static PodRunsStatus Describe(PodLifecycleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new PodRunsStatus(
            state.NodeName,
            [.. state.Containers.Select(track =>
            {
                var runs = Merge(track.History, track.PreviousRun, track.Run);
                var described = new List<RunStatus>(runs.Count);
                for (var i = 0; i < runs.Count; i++)
                {
                    var run = runs[i];
                    double? waited = i + 1 < runs.Count && run.FinishedAt is { } finished
                        ? Math.Max(0, (runs[i + 1].StartedAt - finished).TotalSeconds)
                        : null;
                    described.Add(new RunStatus(run.Attempt, run.StartedAt, run.FinishedAt, run.ExitCode, run.Exited ? run.TerminatedReason : null, waited));
                }

                return new ContainerRunsStatus(
                    track.Name,
                    track.Role.ToString(),
                    track.RestartCount,
                    track.Run is { Exited: true } ? track.RestartAt : null,
                    track.Backoff?.TotalSeconds,
                    described);
            })]);
    }
}
