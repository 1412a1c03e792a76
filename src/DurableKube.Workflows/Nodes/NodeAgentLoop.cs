using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// A node's agent as a durable loop, for a host whose code runs only when something triggers it (the Functions
/// app on Flex Consumption): it observes the node (<see cref="ObserveNodeActivity"/>: heartbeat, exits, orphans)
/// while the node holds pods, waiting on a durable timer between observations, which wakes the app only when
/// due; and it ends once the node is empty, so an idle control plane runs nothing. The node's pod binding
/// starts it again (<see cref="NodeAgentStarter"/>). One instance per node, <c>node-&lt;name&gt;</c>.
/// </summary>
public static class NodeAgentLoop
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "NodeAgentLoop";

    /// <summary>Observations per execution before it continues as new, to keep its history short.</summary>
    public const int TurnsPerExecution = 50;

    /// <summary>Gets the instance id of a node's loop.</summary>
    /// <param name="node">The node's name.</param>
    /// <returns>The instance id.</returns>
    public static string InstanceIdFor(string node) => "node-" + node;

    /// <summary>Observes the node, every <see cref="NodeObservation.NextIn"/>, while it holds pods.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The node and its loop's state.</param>
    /// <returns>The node's name once it is empty and the loop ends; <see langword="null"/> after continue-as-new.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, NodeAgentLoopState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var options = (input.Timings ?? ReconcileTimings.Default).ToTaskOptions();
        for (var turn = 0; turn < TurnsPerExecution; turn++)
        {
            NodeObservation observation;
            try
            {
                observation = await context.CallActivityAsync<NodeObservation>(ObserveNodeActivity.Name, input.Node, options);
            }
            catch (TaskFailedException)
            {
                // An observation that failed its retries (the store or ARM unreachable) is tried again later:
                // the node may hold pods whose exits nobody else reports.
                observation = new NodeObservation(HoldsPods: true, NextIn: input.RetryIn);
            }

            if (!observation.HoldsPods)
            {
                return input.Node;
            }

            // Timers may fire early (Azure Storage provider, about a second): harmless here, the next observation is simply a little early.
            await context.CreateTimer(context.CurrentUtcDateTime + observation.NextIn, CancellationToken.None);
        }

        context.ContinueAsNew(input);
        return null;
    }
}
