using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Nodes;

/// <summary>
/// The part of a kubelet that watches its node: registers the Node object and keeps its Ready
/// condition fresh, and turns the runtime's container exits into signals to the pods' workflows. It
/// observes the runtime in bulk (one exit stream, one list per resync), so its cost grows with
/// nodes, not with pods times polls.
/// </summary>
public sealed class NodeAgent : BackgroundService
{
    private readonly ObjectRegistry _registry;
    private readonly NodeRuntime _node;
    private readonly IContainerRuntime _runtime;
    private readonly IWorkflowClient _workflows;
    private readonly IOptions<NodeOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeAgent> _logger;

    /// <summary>Initializes a new instance of the <see cref="NodeAgent"/> class.</summary>
    /// <param name="registry">The write path to the objects.</param>
    /// <param name="node">The node and its container runtime.</param>
    /// <param name="workflows">Signals the pods' workflows.</param>
    /// <param name="options">The node agent's intervals.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public NodeAgent(ObjectRegistry registry, NodeRuntime node, IWorkflowClient workflows, IOptions<NodeOptions> options, TimeProvider time, ILogger<NodeAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(node);
        _registry = registry;
        _node = node;
        _runtime = node.Runtime;
        _workflows = workflows;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Creates the Node object, or refreshes it if it exists.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once the node is stored.</returns>
    public async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        var name = _node.Name;
        var description = NodeObject.WithMaxPods(await _runtime.DescribeNodeAsync(cancellationToken), _node.MaxPods);
        var now = _time.GetUtcNow();
        try
        {
            // The node's status, through the status subresource, as a kubelet's heartbeat writes it.
            await _registry.UpdateAsync(new ObjectKey(ResourceTypes.Nodes, null, name), node =>
            {
                NodeObject.Refresh((V1Node)node, description, now);
                return node;
            }, UpdateOptions.Status(), cancellationToken);
            return;
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            // Not registered yet.
        }

        try
        {
            await _registry.CreateAsync(ResourceTypes.Nodes, NodeObject.Create(_node, description, now), cancellationToken: cancellationToken);
            Log.NodeRegistered(_logger, name);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // Another agent of the same node registered it between our read and write; the next heartbeat refreshes it.
        }
    }

    /// <summary>
    /// Reports again every exit the pods' workflows have not acknowledged (a raised event can be lost: the Durable Task
    /// provider discards one that reaches an instance whose history a killed host never wrote), acknowledges those no
    /// running workflow will take, and removes the sandboxes whose pod is gone (the kubelet's orphan clean-up).
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The runs the runtime listed, as it listed them.</returns>
    public async Task<IReadOnlyList<ContainerRunStatus>> ResyncAsync(CancellationToken cancellationToken = default)
    {
        var runs = await _runtime.ListContainersAsync(cancellationToken);
        foreach (var run in runs.Where(r => r.State == ContainerRunState.Exited && !r.Acknowledged))
        {
            if (await _workflows.GetStateAsync(PodIdentity.WorkflowInstanceIdFor(run.Id.PodUid), cancellationToken) == WorkflowInstanceState.Running)
            {
                await ReportExitAsync(run, cancellationToken);
            }
            else
            {
                // Nobody is there to take it; a workflow started again later reads its runs from the runtime.
                await _runtime.AcknowledgeExitAsync(run.Id, cancellationToken);
            }
        }

        // Every sandbox with a run in it, running or not: one whose pod is gone is an orphan (an ACI container group
        // whose containers have all exited still costs its reservation until it is deleted).
        var podUids = runs.Select(r => r.Id.PodUid).ToHashSet(StringComparer.Ordinal);
        if (podUids.Count == 0)
        {
            return runs;
        }

        var pods = await _registry.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken);
        var live = pods.Items.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in podUids.Where(uid => !live.Contains(uid)))
        {
            var instanceId = PodIdentity.WorkflowInstanceIdFor(orphan);
            if (await _workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
            {
                await _workflows.RaiseEventAsync(
                    instanceId, PodSignal.EventName, new PodEvent(new PodDeletionRequested(_time.GetUtcNow(), ObjectGone: true)), cancellationToken);
            }
            else
            {
                // No workflow owns these runs any more: nothing would ever stop them.
                await _runtime.RemoveSandboxAsync(orphan, cancellationToken);
            }
        }

        return runs;
    }

    /// <summary>
    /// Sends one exit to its pod's workflow. The workflow's kubelet acknowledges it to the runtime once its state holds
    /// it (<see cref="Pods.SyncPodActivity"/>); until then <see cref="ResyncAsync"/> sends it again.
    /// </summary>
    /// <param name="run">The exited run.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once the exit is sent.</returns>
    public async Task ReportExitAsync(ContainerRunStatus run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.State != ContainerRunState.Exited)
        {
            return;
        }

        var exited = ContainerExits.From(run, _time.GetUtcNow());
        await _workflows.RaiseEventAsync(PodIdentity.WorkflowInstanceIdFor(run.Id.PodUid), PodSignal.EventName, new PodEvent(exited), cancellationToken);
        Log.ExitReported(_logger, run.Id.ToString(), exited.ExitCode);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            _node.StreamsExits ? ForwardExitsAsync(stoppingToken) : Task.CompletedTask,
            HeartbeatLoopAsync(stoppingToken),
            ResyncLoopAsync(stoppingToken));
    }

    private async Task ForwardExitsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var run in _runtime.WatchExitsAsync(stoppingToken))
                {
                    await ReportExitAsync(run, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The resync loop reports what this missed; carry on watching.
                Log.NodeAgentError(_logger, e, e.Message);
                await DelayAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private Task HeartbeatLoopAsync(CancellationToken stoppingToken) =>
        EveryAsync(_options.Value.HeartbeatInterval, HeartbeatAsync, stoppingToken);

    private Task ResyncLoopAsync(CancellationToken stoppingToken) =>
        EveryAsync(_node.ResyncInterval ?? _options.Value.ExitResyncInterval, ResyncAsync, stoppingToken);

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.NodeAgentError(_logger, e, e.Message);
            }

            await DelayAsync(interval, stoppingToken);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
