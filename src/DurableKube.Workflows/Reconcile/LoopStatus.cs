using System.Text.Json;
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
    [property: JsonPropertyName("detail")] object? Detail)
{
    /// <summary>Reads a loop's status from its orchestration's custom status as a workflow client returns it.</summary>
    /// <param name="customStatus">The custom status: the JSON of a <see cref="LoopStatus"/>, or that JSON as a JSON string.</param>
    /// <returns>The status, or <see langword="null"/> if it is not a loop's status.</returns>
    public static LoopStatus? Parse(string? customStatus)
    {
        if (string.IsNullOrEmpty(customStatus))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(customStatus);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return Parse(root.GetString());
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("waitingFor", out var waiting) && waiting.ValueKind == JsonValueKind.String
                ? root.Deserialize<LoopStatus>()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
