namespace DurableKube.Domain.Deletion;

/// <summary>What a delete request does to the stored object.</summary>
public enum DeletionAction
{
    /// <summary>Remove the object now.</summary>
    Remove,

    /// <summary>Write the marked object (deletionTimestamp, grace period, phase) and leave it for its finalizers or the kubelet.</summary>
    Update,

    /// <summary>Write the marked object, then remove it (grace 0 and no finalizers).</summary>
    UpdateThenRemove,

    /// <summary>Nothing changes: deletion is already under way with a grace period no longer than the one asked for.</summary>
    Unchanged,
}
