using k8s.Models;

namespace DurableKube.Domain.Pods;

/// <summary>
/// How the API server deletes a pod (pkg/registry/core/pod/strategy.go, CheckGracefulDelete): a pod
/// that never reached a node, or already finished, goes at once; a running one is marked with a
/// deletionTimestamp and left to its kubelet for the grace period.
/// </summary>
public static class PodDeletion
{
    /// <summary>The grace period when neither the request nor the pod names one.</summary>
    public const long DefaultGracePeriodSeconds = 30;

    /// <summary>Decides how to delete a pod.</summary>
    /// <param name="pod">The pod as stored.</param>
    /// <param name="requestedGracePeriodSeconds">The request's <c>gracePeriodSeconds</c>, if any.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The decision.</returns>
    public static PodDeletionDecision Decide(V1Pod pod, long? requestedGracePeriodSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var grace = requestedGracePeriodSeconds ?? pod.Spec?.TerminationGracePeriodSeconds ?? DefaultGracePeriodSeconds;
        if (grace < 0)
        {
            grace = 1;
        }

        var unbound = string.IsNullOrEmpty(pod.Spec?.NodeName);
        var finished = pod.Status?.Phase is "Succeeded" or "Failed";
        if (unbound || finished)
        {
            grace = 0;
        }

        if (pod.Metadata.DeletionTimestamp is { } existing)
        {
            // Already terminating: a new request may only shorten what is left of the grace period.
            var deadline = new DateTimeOffset(DateTime.SpecifyKind(existing, DateTimeKind.Utc));
            var requested = now.AddSeconds(grace);
            if (grace == 0)
            {
                return new PodDeletionDecision(PodDeletionAction.RemoveNow, null, 0);
            }

            return requested < deadline
                ? new PodDeletionDecision(PodDeletionAction.MarkTerminating, requested, grace)
                : new PodDeletionDecision(PodDeletionAction.AlreadyTerminating, deadline, pod.Metadata.DeletionGracePeriodSeconds ?? grace);
        }

        return grace == 0
            ? new PodDeletionDecision(PodDeletionAction.RemoveNow, null, 0)
            : new PodDeletionDecision(PodDeletionAction.MarkTerminating, now.AddSeconds(grace), grace);
    }
}
