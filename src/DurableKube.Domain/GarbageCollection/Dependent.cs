namespace DurableKube.Domain.GarbageCollection;

/// <summary>An object that names the owner being collected in its ownerReferences.</summary>
/// <param name="Resource">Its group-qualified resource, e.g. <c>pods</c>.</param>
/// <param name="Namespace">Its namespace, if namespaced.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its uid.</param>
/// <param name="BlocksOwnerDeletion">Whether its reference to the owner has <c>blockOwnerDeletion: true</c>: a foreground deletion of the owner waits for it.</param>
/// <param name="Deleting">Whether it is being deleted already.</param>
/// <param name="HasSolidOwner">Whether another of its owners exists and is not waiting for the deletion of its dependents (foreground): then it stays, and only the reference to the owner is dropped.</param>
/// <param name="HasDependents">Whether it owns objects itself: deleted for a foreground owner, it is deleted in the foreground too, so the owner waits for the whole tree.</param>
public sealed record Dependent(
    string Resource,
    string? Namespace,
    string Name,
    string Uid,
    bool BlocksOwnerDeletion,
    bool Deleting = false,
    bool HasSolidOwner = false,
    bool HasDependents = false);
