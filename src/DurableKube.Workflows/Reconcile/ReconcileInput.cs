namespace DurableKube.Workflows.Reconcile;

/// <summary>
/// What one execution of a reconcile loop starts from: the state carried over, and the version of the
/// loop's code that made it. A deploy that changes the sequence of what an orchestrator awaits makes a
/// new <see cref="ReconcileLoop.CurrentVersion"/>; an execution keeps the version it started with for
/// its whole (replayed) life, and takes the new one only at continue-as-new (docs/architecture.md, Versions).
/// </summary>
/// <typeparam name="TState">The reconciler's state.</typeparam>
/// <param name="State">The state.</param>
/// <param name="Version">The loop version the execution runs with.</param>
/// <param name="Timings">How the loop retries failed work; <see cref="ReconcileTimings.Default"/> when not given.</param>
public sealed record ReconcileInput<TState>(TState State, int Version = ReconcileLoop.CurrentVersion, ReconcileTimings? Timings = null)
    where TState : class;
