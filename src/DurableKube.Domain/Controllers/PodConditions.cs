using k8s.Models;

namespace DurableKube.Domain.Controllers;

/// <summary>What controllers read from a pod's status (k8s.io/kubernetes pkg/api/v1/pod: <c>IsPodReady</c>, <c>IsPodAvailable</c>).</summary>
public static class PodConditions
{
    /// <summary>Whether a pod is Ready: its Ready condition is True.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it is ready.</returns>
    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>When the pod last became Ready (its Ready condition's lastTransitionTime), if it is Ready.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The time, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ReadySince(V1Pod pod) =>
        ReadyCondition(pod) is { Status: "True", LastTransitionTime: { } since } ? Serialization.KubeTime.ToInstant(since) : null;

    /// <summary>
    /// Whether a pod is available: Ready for at least <paramref name="minReadySeconds"/> (at once when it is
    /// 0), as a ReplicaSet and a Deployment count <c>availableReplicas</c>.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <param name="minReadySeconds">How long it must have been Ready.</param>
    /// <param name="now">The present.</param>
    /// <returns>Whether it is available.</returns>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod))
        {
            return false;
        }

        return minReadySeconds <= 0 || (ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) <= now);
    }

    /// <summary>When a Ready pod becomes available, if it is not yet: the time a controller should look again.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="minReadySeconds">How long it must be Ready.</param>
    /// <param name="now">The present.</param>
    /// <returns>The time, or <see langword="null"/> if the pod is available already or not Ready.</returns>
    public static DateTimeOffset? AvailableAt(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        minReadySeconds > 0 && ReadySince(pod) is { } since && since.AddSeconds(minReadySeconds) > now ? since.AddSeconds(minReadySeconds) : null;

    /// <summary>Whether a pod has finished for good (phase Succeeded or Failed).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it has.</returns>
    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>
    /// Whether a pod counts as one of a controller's replicas (controller.<c>IsPodActive</c>): not finished
    /// and not being deleted.
    /// </summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Whether it is active.</returns>
    public static bool IsActive(V1Pod pod) => !IsTerminal(pod) && pod.Metadata?.DeletionTimestamp is null;

    /// <summary>The restarts of all of a pod's containers.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The sum of their restart counts.</returns>
    public static int Restarts(V1Pod pod) => (pod.Status?.ContainerStatuses ?? []).Sum(s => s.RestartCount);

    private static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
}
