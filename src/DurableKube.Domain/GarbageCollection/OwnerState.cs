using DurableKube.Domain.Deletion;

namespace DurableKube.Domain.GarbageCollection;

/// <summary>What the garbage collector knows of an owner.</summary>
/// <param name="Exists">Whether the owner (with the referenced uid) still exists.</param>
/// <param name="Deleting">Whether it is being deleted (it has a deletionTimestamp).</param>
/// <param name="Pending">The propagation its finalizers ask the collector to carry out, if any.</param>
public sealed record OwnerState(bool Exists, bool Deleting = false, PropagationPolicy? Pending = null)
{
    /// <summary>Gets the state of an owner that is gone.</summary>
    public static OwnerState Gone { get; } = new(false);
}
