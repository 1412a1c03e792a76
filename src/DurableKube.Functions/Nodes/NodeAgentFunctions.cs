using DurableKube.Ports.Runtime;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Nodes;

/// <summary>
/// The node agent's tick: registers or refreshes this instance's Node, and raises every container exit
/// the pods' workflows have not acknowledged (stopping runs whose pod is gone).
/// </summary>
/// <remarks>
/// In the local host the <see cref="NodeAgent"/> is a background service: it streams the runtime's exits
/// and raises each one the moment it happens, over a client of the Durable Task Framework that lives as
/// long as the process. Here the only client to the task hub is the <see cref="DurableTaskClient"/> the
/// host binds to one invocation (<c>[DurableClient]</c>); no background service can have one. So the
/// agent is built for each tick over that tick's client and does its periodic work only:
/// <see cref="NodeAgent.HeartbeatAsync"/> and <see cref="NodeAgent.ResyncAsync"/>, whose resync picks up
/// every unacknowledged exit. With the process runtime this means a container's exit reaches its pod's
/// workflow up to one tick (<see cref="Schedule"/>, 5 s) later than in the local host, plus the task
/// hub's polling delay, so restarts and terminal phases show that much later. The timer also runs on
/// one instance at a time: with the process runtime, containers started by another instance of a
/// scaled-out app are not seen by this tick (see the README's limits).
/// </remarks>
public static class NodeAgentFunctions
{
    /// <summary>The timer's name.</summary>
    public const string TickName = "NodeAgentTick";

    /// <summary>Every five seconds: half the Kubernetes heartbeat (10 s), for a shorter exit latency.</summary>
    public const string Schedule = "*/5 * * * * *";

    /// <summary>Runs one heartbeat and one exit resync.</summary>
    /// <param name="timer">The timer (unused beyond triggering).</param>
    /// <param name="client">This invocation's Durable Task client.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>A task that completes once both are done.</returns>
    [Function(TickName)]
    public static async Task TickAsync(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workflows = new DurableTaskClientWorkflowClient(client);
        var nodes = context.InstanceServices.GetRequiredService<INodeRuntimes>().Nodes;
        var agents = nodes.Select(node => ActivatorUtilities.CreateInstance<NodeAgent>(context.InstanceServices, node, workflows)).ToList();
        try
        {
            // Both run even if one fails (the store may refuse the heartbeat while exits still get through).
            await Task.WhenAll(agents.SelectMany(agent => new[] { agent.HeartbeatAsync(context.CancellationToken), agent.ResyncAsync(context.CancellationToken) }));
        }
        finally
        {
            agents.ForEach(agent => agent.Dispose());
        }
    }
}
