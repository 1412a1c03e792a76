using DurableKube.Domain.Deletion;
using DurableKube.Ports.Store;

namespace DurableKube.Registry;

/// <summary>How a delete is made (the API's <c>DeleteOptions</c>, decoded).</summary>
/// <param name="GracePeriodSeconds">The grace period asked for, if any (0: now); the kind's strategy decides what it means.</param>
/// <param name="PropagationPolicy">What happens to the object's dependents, if asked; the default leaves it to the garbage collector in the background.</param>
/// <param name="OrphanDependents">The deprecated form of <see cref="PropagationPolicy"/> <c>Orphan</c>, if given.</param>
/// <param name="Preconditions">A uid and resource version the object must still have.</param>
/// <param name="DryRun">Decide, but change nothing.</param>
public sealed record DeleteOptions(
    long? GracePeriodSeconds = null,
    PropagationPolicy? PropagationPolicy = null,
    bool? OrphanDependents = null,
    Preconditions? Preconditions = null,
    bool DryRun = false)
{
    /// <summary>Gets the default: the kind's own grace, background propagation.</summary>
    public static DeleteOptions Default { get; } = new();

    /// <summary>Gets options that delete one object only if it is still the one with this uid.</summary>
    /// <param name="uid">The uid.</param>
    /// <param name="gracePeriodSeconds">The grace period, if any.</param>
    /// <returns>The options.</returns>
    public static DeleteOptions ForUid(string uid, long? gracePeriodSeconds = null) =>
        new(gracePeriodSeconds, Preconditions: new Preconditions(Uid: uid));
}
