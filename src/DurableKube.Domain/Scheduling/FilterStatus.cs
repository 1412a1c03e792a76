namespace DurableKube.Domain.Scheduling;

/// <summary>Why one filter turned a node down, in the scheduler's words (a framework <c>Status</c> that is not success).</summary>
/// <param name="Reasons">The reasons; each is counted in the message (<c>2 Insufficient cpu</c>).</param>
/// <param name="Resolvable">
/// Whether removing pods could make room (the framework's <c>Unschedulable</c>, e.g. too little CPU), as
/// opposed to <c>UnschedulableAndUnresolvable</c> (a taint, affinity, a cordoned node), where preemption is no help.
/// </param>
public sealed record FilterStatus(IReadOnlyList<string> Reasons, bool Resolvable)
{
    /// <summary>A node turned down for a reason no preemption can change.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The status.</returns>
    public static FilterStatus Unresolvable(string reason) => new([reason], Resolvable: false);
}
