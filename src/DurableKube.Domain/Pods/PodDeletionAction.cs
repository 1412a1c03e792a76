namespace DurableKube.Domain.Pods;

/// <summary>What deleting a pod does.</summary>
public enum PodDeletionAction
{
    /// <summary>Remove the object now (nothing runs it, or the grace period is zero); finalizers still hold it if it has any.</summary>
    RemoveNow,

    /// <summary>Set the deletionTimestamp and grace period and leave the removal to the kubelet.</summary>
    MarkTerminating,

    /// <summary>It is already terminating with a deadline no later than asked: nothing changes.</summary>
    AlreadyTerminating,
}
