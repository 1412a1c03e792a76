using System.Text.Json.Serialization;

namespace DurableKube.Workflows.Reconcile;

/// <summary>
/// What every <see cref="ReconcileLoop"/> publishes as its orchestration's custom status, so a workflow client (the
/// dashboard's workflow view) can say what it is doing: its turn, what it waits for, its next timer, and the reconciler's
/// own detail (<see cref="IReconciler{TState, TSignal, TWork, TResult}.Describe"/>).
/// </summary>
/// <param name="Turn">The loop's turn in this execution (it continues as new after a bounded number).</param>
/// <param name="WaitingFor">What the loop awaits now: <c>activity X</c>, <c>signal S</c> or <c>signal S or timer</c>.</param>
/// <param name="NextTimer">When its pending timer is due, if it has one.</param>
/// <param name="Detail">The reconciler's description of its state, if it gives one.</param>
public sealed record LoopStatus(
    [property: JsonPropertyName("turn")] int Turn,
    [property: JsonPropertyName("waitingFor")] string WaitingFor,
    [property: JsonPropertyName("nextTimer")] DateTimeOffset? NextTimer,
    [property: JsonPropertyName("detail")] object? Detail);
