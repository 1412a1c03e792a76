using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>
/// A Deployment's conditions, their reasons and the messages Kubernetes writes (deployment_util.go), which
/// <c>kubectl rollout status</c> and <c>kubectl describe</c> read.
/// </summary>
public static class DeploymentConditions
{
    /// <summary>The condition: at least replicas minus max unavailable pods are available.</summary>
    public const string Available = "Available";

    /// <summary>The condition: the rollout moves, is complete, is paused, or stopped moving.</summary>
    public const string Progressing = "Progressing";

    /// <summary>The condition: a ReplicaSet could not create or delete pods.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>Available: enough pods are available.</summary>
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";

    /// <summary>Available is False: too few pods are available.</summary>
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    /// <summary>Progressing: the controller created the new ReplicaSet.</summary>
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";

    /// <summary>Progressing: the controller found the new ReplicaSet already there.</summary>
    public const string FoundNewReplicaSet = "FoundNewReplicaSet";

    /// <summary>Progressing: pods were updated, became ready or available, or old ones went.</summary>
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";

    /// <summary>Progressing: the rollout is complete.</summary>
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";

    /// <summary>Progressing is False: no progress for progressDeadlineSeconds.</summary>
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>Progressing is False: the new ReplicaSet could not be created.</summary>
    public const string ReplicaSetCreateError = "ReplicaSetCreateError";

    /// <summary>Progressing is Unknown: the Deployment was paused.</summary>
    public const string DeploymentPaused = "DeploymentPaused";

    /// <summary>Progressing is Unknown: the Deployment was resumed.</summary>
    public const string DeploymentResumed = "DeploymentResumed";

    /// <summary>Finds a condition.</summary>
    /// <param name="status">The status.</param>
    /// <param name="type">The condition type.</param>
    /// <returns>The condition, or <see langword="null"/>.</returns>
    public static V1DeploymentCondition? Get(V1DeploymentStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Makes a condition, updated and transitioned now (<c>NewDeploymentCondition</c>).</summary>
    /// <param name="type">The type.</param>
    /// <param name="status">True, False or Unknown.</param>
    /// <param name="reason">The reason.</param>
    /// <param name="message">The message.</param>
    /// <param name="now">The present.</param>
    /// <returns>The condition.</returns>
    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastUpdateTime = KubeTime.Truncate(now),
        LastTransitionTime = KubeTime.Truncate(now),
    };

    /// <summary>
    /// Sets a condition (<c>SetDeploymentCondition</c>): nothing changes when one of the same status and reason is there;
    /// one of the same status keeps its transition time.
    /// </summary>
    /// <param name="status">The status, changed in place.</param>
    /// <param name="condition">The condition.</param>
    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(condition);
        var current = Get(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        Remove(status, condition.Type);
        status.Conditions = [.. status.Conditions ?? [], condition];
    }

    /// <summary>Removes a condition.</summary>
    /// <param name="status">The status, changed in place.</param>
    /// <param name="type">The condition type.</param>
    public static void Remove(V1DeploymentStatus status, string type)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Conditions is { } conditions)
        {
            var kept = conditions.Where(c => c.Type != type).ToList();
            status.Conditions = kept.Count > 0 ? kept : null;
        }
    }

    /// <summary>
    /// Records that the new ReplicaSet could not be created: Progressing False with reason ReplicaSetCreateError and
    /// <c>Failed to create new replica set "&lt;name&gt;": &lt;error&gt;</c>.
    /// </summary>
    /// <param name="deployment">The Deployment (its progress deadline decides whether it has the condition).</param>
    /// <param name="status">The status to write, changed in place.</param>
    /// <param name="replicaSetName">The ReplicaSet's name.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="now">The present.</param>
    public static void SetCreateFailed(V1Deployment deployment, V1DeploymentStatus status, string replicaSetName, string error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Spec?.ProgressDeadlineSeconds is not null)
        {
            Set(status, New(Progressing, "False", ReplicaSetCreateError, $"Failed to create new replica set \"{replicaSetName}\": {error}", now));
        }
    }
}
