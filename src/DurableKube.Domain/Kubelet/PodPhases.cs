using k8s.Models;

namespace DurableKube.Domain.Kubelet;

/// <summary>The pod phase computed from its container statuses, as the kubelet's <c>getPhase</c> does (pkg/kubelet/kubelet_pods.go).</summary>
public static class PodPhases
{
    /// <summary>The phase of a pod that has not started its containers yet.</summary>
    public const string Pending = "Pending";

    /// <summary>At least one container runs (or is being restarted).</summary>
    public const string Running = "Running";

    /// <summary>All containers finished with exit code 0 and will not restart.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>All containers finished and at least one failed, and none will restart.</summary>
    public const string Failed = "Failed";

    /// <summary>Whether a phase is terminal: a pod never leaves Succeeded or Failed.</summary>
    /// <param name="phase">The phase.</param>
    /// <returns><see langword="true"/> for Succeeded and Failed.</returns>
    public static bool IsTerminal(string? phase) => phase is Succeeded or Failed;

    /// <summary>Computes the phase.</summary>
    /// <param name="spec">The pod spec (containers, init containers, restart policy).</param>
    /// <param name="initStatuses">The init container statuses.</param>
    /// <param name="statuses">The app container statuses.</param>
    /// <param name="podIsTerminal">Whether the kubelet has finished with the pod (nothing will run again).</param>
    /// <returns>Pending, Running, Succeeded or Failed.</returns>
    public static string Compute(
        V1PodSpec spec,
        IReadOnlyList<V1ContainerStatus> initStatuses,
        IReadOnlyList<V1ContainerStatus> statuses,
        bool podIsTerminal)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(initStatuses);
        ArgumentNullException.ThrowIfNull(statuses);
        var pendingInitialization = 0;
        var failedInitialization = 0;
        var unknown = 0;
        var running = 0;
        var waiting = 0;
        var stopped = 0;
        var succeeded = 0;
        var anyRegularStarted = false;

        foreach (var init in spec.InitContainers ?? [])
        {
            var status = initStatuses.FirstOrDefault(s => s.Name == init.Name);
            if (init.RestartPolicy == "Always")
            {
                // Sidecars count for the pod like app containers while they run; terminated ones do not count.
                switch (status?.State)
                {
                    case null:
                        unknown++;
                        break;
                    case { Running: not null }:
                        if (status.Started != true)
                        {
                            pendingInitialization++;
                        }

                        running++;
                        break;
                    case { Terminated: not null }:
                        break;
                    case { Waiting: not null }:
                        if (status.LastState?.Terminated is null)
                        {
                            pendingInitialization++;
                            waiting++;
                        }

                        break;
                    default:
                        pendingInitialization++;
                        unknown++;
                        break;
                }

                continue;
            }

            switch (status?.State)
            {
                case null:
                    pendingInitialization++;
                    break;
                case { Running: not null }:
                    pendingInitialization++;
                    break;
                case { Terminated: { } terminated }:
                    if (terminated.ExitCode != 0)
                    {
                        failedInitialization++;
                    }

                    break;
                case { Waiting: not null }:
                    if (status.LastState?.Terminated is { } last)
                    {
                        if (last.ExitCode != 0)
                        {
                            failedInitialization++;
                        }
                    }
                    else
                    {
                        pendingInitialization++;
                    }

                    break;
                default:
                    pendingInitialization++;
                    break;
            }
        }

        foreach (var container in spec.Containers ?? [])
        {
            var status = statuses.FirstOrDefault(s => s.Name == container.Name);
            switch (status?.State)
            {
                case null:
                    unknown++;
                    break;
                case { Running: not null }:
                    running++;
                    anyRegularStarted = true;
                    break;
                case { Terminated: { } terminated }:
                    stopped++;
                    anyRegularStarted = true;
                    if (terminated.ExitCode == 0)
                    {
                        succeeded++;
                    }

                    break;
                case { Waiting: not null }:
                    if (status.LastState?.Terminated is not null)
                    {
                        stopped++;
                        anyRegularStarted = true;
                    }
                    else
                    {
                        waiting++;
                    }

                    break;
                default:
                    unknown++;
                    break;
            }
        }

        if (failedInitialization > 0 && spec.RestartPolicy == "Never")
        {
            return Failed;
        }

        if ((pendingInitialization > 0 && !anyRegularStarted) || waiting > 0)
        {
            return Pending;
        }

        if (running > 0 && unknown == 0)
        {
            return Running;
        }

        if (running == 0 && stopped > 0 && unknown == 0)
        {
            if (podIsTerminal)
            {
                return stopped == succeeded ? Succeeded : Failed;
            }

            if (spec.RestartPolicy is null or "Always")
            {
                return Running;
            }

            if (stopped == succeeded)
            {
                return Succeeded;
            }

            return spec.RestartPolicy == "Never" ? Failed : Running;
        }

        return Pending;
    }
}
