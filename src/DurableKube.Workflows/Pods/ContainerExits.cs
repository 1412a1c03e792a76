using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;

namespace DurableKube.Workflows.Pods;

/// <summary>The one mapping from what the runtime says of a run to the exit a pod's workflow observes.</summary>
public static class ContainerExits
{
    /// <summary>The exit of a run that ended.</summary>
    /// <param name="run">The run, as the runtime reports it.</param>
    /// <param name="now">When the exit is noticed, for a runtime that lost the finish time.</param>
    /// <returns>The exit.</returns>
    public static ContainerExited From(ContainerRunStatus run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new ContainerExited(run.Id.ContainerName, run.Id.Attempt, run.FinishedAt ?? now, run.ExitCode ?? 137, run.Reason, run.Message);
    }

    /// <summary>The exit of a run the runtime no longer knows: Kubernetes reports a vanished container as ContainerStatusUnknown, 137.</summary>
    /// <param name="id">The run.</param>
    /// <param name="now">When it was found missing.</param>
    /// <returns>The exit.</returns>
    public static ContainerExited Vanished(ContainerRunId id, DateTimeOffset now) =>
        new(id.ContainerName, id.Attempt, now, 137, PodLifecycle.ContainerStatusUnknownReason, "The container could not be located when the pod was terminated");
}
