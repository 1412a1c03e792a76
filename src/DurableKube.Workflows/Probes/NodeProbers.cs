using DurableKube.Ports.Runtime;
using DurableKube.Ports.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DurableKube.Workflows.Probes;

/// <summary>
/// Runs one <see cref="NodeProber"/> per container-scoped node of the control plane (a pod-scoped node, ACI, runs its
/// own probes), as a hosted service of either host: beside the node agents in the local host, in the isolated worker
/// of the Functions app.
/// </summary>
public sealed class NodeProbers : IHostedService, IDisposable
{
    private readonly List<NodeProber> _probers;

    /// <summary>Initializes a new instance of the <see cref="NodeProbers"/> class.</summary>
    /// <param name="services">Where each prober's services come from.</param>
    /// <param name="nodes">The nodes.</param>
    public NodeProbers(IServiceProvider services, INodeRuntimes nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var probed = nodes.Nodes.Where(node => node.Runtime.Scope == SandboxScope.Container).ToList();
        if (probed.Count > 0 && services.GetService<IWorkflowClient>() is null)
        {
            // The Functions app has a workflow client only inside an invocation; its nodes are ACI nodes, which are not probed here.
            throw new InvalidOperationException(
                $"The prober of node {probed[0].Name} needs a workflow client to signal pods' workflows, and this host registers none outside its invocations.");
        }

        _probers = probed.Select(node => ActivatorUtilities.CreateInstance<NodeProber>(services, node)).ToList();
    }

    /// <summary>Gets the probers, one per container-scoped node.</summary>
    public IReadOnlyList<NodeProber> Probers => _probers;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_probers.Select(prober => prober.StartAsync(cancellationToken)));

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_probers.Select(prober => prober.StopAsync(cancellationToken)));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var prober in _probers)
        {
            prober.Dispose();
        }
    }
}
