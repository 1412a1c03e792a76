namespace DurableKube.Workflows.GarbageCollection;

/// <summary>What an owner's garbage collection workflow carries from turn to turn.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="NextLookAt">When to look again, while dependents that block a foreground deletion remain; <see langword="null"/> to look now.</param>
/// <param name="Done">Whether the owner needs nothing more: the workflow ends.</param>
public sealed record GarbageCollectionState(OwnerRef Owner, DateTimeOffset? NextLookAt = null, bool Done = false);
