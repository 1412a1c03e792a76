namespace DurableKube.Workflows.Reconcile;

/// <summary>Makes the steps a reconciler's <c>Plan</c> returns.</summary>
public static class LoopStep
{
    /// <summary>The step that ends the loop.</summary>
    /// <typeparam name="TWork">The activity's request type.</typeparam>
    /// <returns>The step.</returns>
    public static LoopStep<TWork> Finished<TWork>()
        where TWork : class => new(null, null, true);

    /// <summary>Hands work to the activity now; plan again once it is done.</summary>
    /// <typeparam name="TWork">The activity's request type.</typeparam>
    /// <param name="work">The activity's request.</param>
    /// <param name="wakeAt">When to plan again should the activity fail for good, if sooner than the loop's retry delay.</param>
    /// <returns>The step.</returns>
    public static LoopStep<TWork> Act<TWork>(TWork work, DateTimeOffset? wakeAt = null)
        where TWork : class => new(work, wakeAt, false);

    /// <summary>Waits for a signal, or until a time.</summary>
    /// <typeparam name="TWork">The activity's request type.</typeparam>
    /// <param name="wakeAt">When to plan again if no signal comes; <see langword="null"/> to wait for a signal only.</param>
    /// <returns>The step.</returns>
    public static LoopStep<TWork> Wait<TWork>(DateTimeOffset? wakeAt = null)
        where TWork : class => new(null, wakeAt, false);
}
