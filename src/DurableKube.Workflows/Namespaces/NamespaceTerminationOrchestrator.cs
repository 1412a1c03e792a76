using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Namespaces;

/// <summary>
/// The namespace controller's work for one namespace being deleted (instance <c>ns-&lt;uid&gt;</c>): the
/// <see cref="ReconcileLoop"/> over the <see cref="NamespaceReconciler"/>. A failing look is retried on a
/// durable timer, never failing the workflow, so the namespace finishes deleting once the fault is gone.
/// </summary>
public static class NamespaceTerminationOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "NamespaceTermination";

    /// <summary>Empties and removes the namespace.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The termination's state.</param>
    /// <returns>The namespace's name once removed; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, ReconcileInput<NamespaceTermination> input)
    {
        var final = await ReconcileLoop.RunAsync(context, input, NamespaceReconciler.Instance);
        return final?.Namespace.Name;
    }
}
