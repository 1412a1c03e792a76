namespace DurableKube.Workflows.Reconcile;

/// <summary>
/// The decisions of one kind of durable workflow (a pod's kubelet, a namespace's termination, a
/// controller), for <see cref="ReconcileLoop"/> to run: plan what to do from the state and the time,
/// fold in what the activity did, fold in a signal. All pure, so they run inside an orchestrator and a
/// <c>[Theory]</c> table can test them; the one activity does the I/O.
/// </summary>
/// <typeparam name="TState">What the workflow carries from turn to turn (small: references, not objects).</typeparam>
/// <typeparam name="TSignal">What arrives from outside as the one external event.</typeparam>
/// <typeparam name="TWork">The activity's request.</typeparam>
/// <typeparam name="TResult">The activity's result.</typeparam>
public interface IReconciler<TState, TSignal, TWork, TResult>
    where TState : class
    where TWork : class
{
    /// <summary>Gets the name of the activity that does the work.</summary>
    string ActivityName { get; }

    /// <summary>Gets the name of the external event that carries every signal.</summary>
    string SignalName { get; }

    /// <summary>Gets how many turns of the loop an execution takes before it continues as new, which keeps its history bounded.</summary>
    int TurnsPerExecution { get; }

    /// <summary>Decides what to do now.</summary>
    /// <param name="state">The state.</param>
    /// <param name="now">The workflow's replay-safe time.</param>
    /// <returns>The step.</returns>
    LoopStep<TWork> Plan(TState state, DateTimeOffset now);

    /// <summary>Folds what the activity did into the state.</summary>
    /// <param name="state">The state the work was planned from.</param>
    /// <param name="work">The work.</param>
    /// <param name="result">The activity's result.</param>
    /// <param name="now">The workflow's replay-safe time once the activity is done.</param>
    /// <returns>The new state.</returns>
    TState Apply(TState state, TWork work, TResult result, DateTimeOffset now);

    /// <summary>Folds a signal into the state.</summary>
    /// <param name="state">The state.</param>
    /// <param name="signal">The signal.</param>
    /// <returns>The new state.</returns>
    TState Observe(TState state, TSignal signal);

    /// <summary>
    /// Prepares the state a new execution starts from. A signal an outstanding waiter took just before
    /// continue-as-new is lost with the old execution, so the new one must look again (relist, re-read)
    /// before it trusts its state.
    /// </summary>
    /// <param name="state">The state at continue-as-new.</param>
    /// <returns>The state to carry over.</returns>
    TState Renew(TState state);

    /// <summary>
    /// Describes the state for the loop's custom status (<see cref="LoopStatus.Detail"/>), which a workflow client reads;
    /// <see langword="null"/> to publish none. Pure and small: it is serialized at every turn.
    /// </summary>
    /// <param name="state">The state.</param>
    /// <returns>The description, or <see langword="null"/>.</returns>
    object? Describe(TState state) => null;
}
