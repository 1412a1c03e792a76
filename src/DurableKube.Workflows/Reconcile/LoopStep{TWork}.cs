namespace DurableKube.Workflows.Reconcile;

/// <summary>What a reconcile loop does next, as its reconciler's <c>Plan</c> decides it; made by <see cref="LoopStep"/>.</summary>
/// <typeparam name="TWork">The request the loop's activity takes.</typeparam>
/// <param name="Work">Work to hand the activity now, or <see langword="null"/> for none.</param>
/// <param name="WakeAt">When to plan again if no signal comes first; <see langword="null"/> to wait for a signal only.</param>
/// <param name="Done">Whether the loop is finished: the object it tends is gone.</param>
public sealed record LoopStep<TWork>(TWork? Work, DateTimeOffset? WakeAt, bool Done)
    where TWork : class;
