using DurableKube.Ports.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DurableKube.Workflows.Nodes;

/// <summary>Runs one <see cref="NodeAgent"/> per node of the control plane, for a host whose agents live as long as it does (the local host).</summary>
public sealed class NodeAgents : IHostedService, IDisposable
{
    private readonly List<NodeAgent> _agents;

    /// <summary>Initializes a new instance of the <see cref="NodeAgents"/> class.</summary>
    /// <param name="services">Where each agent's services come from.</param>
    /// <param name="nodes">The nodes.</param>
    public NodeAgents(IServiceProvider services, INodeRuntimes nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _agents = nodes.Nodes.Select(node => ActivatorUtilities.CreateInstance<NodeAgent>(services, node)).ToList();
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_agents.Select(agent => agent.StartAsync(cancellationToken)));

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_agents.Select(agent => agent.StopAsync(cancellationToken)));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }
    }
}
