using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.GarbageCollection;

/// <summary>
/// The garbage collector's work for one owner (instance <c>gc-&lt;owner uid&gt;</c>): the
/// <see cref="ReconcileLoop"/> over the <see cref="GarbageCollectionReconciler"/>, until the owner needs nothing more.
/// </summary>
public static class GarbageCollectionOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "GarbageCollection";

    /// <summary>Collects the owner's dependents (or orphans them, or waits for them), as its deletion asks.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The collection's state.</param>
    /// <returns>The owner's name once done; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<GarbageCollectionState> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, GarbageCollectionReconciler.Instance);
        return final?.Owner.Name;
    }
}
