namespace DurableKube.Workflows.Namespaces;

/// <summary>What one look at a terminating namespace found and did.</summary>
/// <param name="Remaining">How many objects remain in it, those still terminating included.</param>
/// <param name="Removed">Whether the namespace is gone (its last finalizer removed), or was already.</param>
public sealed record NamespaceSyncResult(int Remaining, bool Removed);
