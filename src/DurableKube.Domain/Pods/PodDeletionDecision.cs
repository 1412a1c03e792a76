namespace DurableKube.Domain.Pods;

/// <summary>How a pod is deleted.</summary>
/// <param name="Action">What to do.</param>
/// <param name="DeletionTimestamp">The deletionTimestamp to set (or that is set), when terminating.</param>
/// <param name="GracePeriodSeconds">The <c>deletionGracePeriodSeconds</c>.</param>
public sealed record PodDeletionDecision(PodDeletionAction Action, DateTimeOffset? DeletionTimestamp, long GracePeriodSeconds);
