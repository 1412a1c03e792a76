using DurableKube.Domain.Changes;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// kube-scheduler's requeueing of unschedulable pods on cluster events: a change that may let a pod fit somewhere (a Node
/// added, or its spec, labels, Ready status or allocatable changed; a pod removed, or finished so its resources are free)
/// tells every pod waiting to be scheduled, whose kubelet tries it again once its back-off allows
/// (<see cref="SchedulingChance"/>, <see cref="SchedulingBackoff"/>). Without a change a pod waits
/// <c>Kubelet__ScheduleRetry</c> (5 min), so a thousand pods nobody can take cost nothing while nothing changes; the
/// dispatcher's resync tells them too, for a change whose message was lost.
/// </summary>
/// <remarks>
/// Changes come in floods (a hundred pods deleted at once): one pass at a time tells the waiting pods, and the changes
/// that arrive meanwhile are answered by one more pass after it, not one each. A pass lists the pods once.
/// </remarks>
public sealed class SchedulingChanceHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<SchedulingChanceHandler> _logger;
    private int _wanted;
    private int _passing;

    /// <summary>Initializes a new instance of the <see cref="SchedulingChanceHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public SchedulingChanceHandler(IObjectStore store, TimeProvider time, ILogger<SchedulingChanceHandler> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public ResourceType? Kind => null;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches { get; } = [ResourceTypes.Nodes, ResourceTypes.Pods];

    /// <summary>
    /// Of a Node: its creation, or a change of its spec (cordon, taints), labels, Ready status or allocatable; not its
    /// heartbeat. Of a pod: its removal, or its phase turning Succeeded or Failed.
    /// </summary>
    /// <param name="change">A change.</param>
    /// <returns>Whether the pods waiting to be scheduled must hear of it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == ResourceTypes.Nodes.GroupResource)
        {
            return change.Type == ObjectChangeType.Added
                || (change.Type == ObjectChangeType.Modified
                    && (change.Facets & (ChangeFacets.Spec | ChangeFacets.Labels | ChangeFacets.NodeReady | ChangeFacets.NodeAllocatable)) != 0);
        }

        return change.Resource == ResourceTypes.Pods.GroupResource
            && (change.Type == ObjectChangeType.Deleted || (change.Type == ObjectChangeType.Modified && change.Facets.HasFlag(ChangeFacets.PodFinished)));
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        Volatile.Write(ref _wanted, 1);

        // Whoever finds no pass running makes them until no change is left unanswered; the others leave it to that one.
        // A change that lands just as the pass ends is seen by the check after it lets go.
        while (Volatile.Read(ref _wanted) == 1 && Interlocked.CompareExchange(ref _passing, 1, 0) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref _wanted, 0) == 1)
                {
                    _ = await TellWaitingPodsAsync(workflows, cancellationToken);
                }
            }
            catch
            {
                // This change's message is retried; it must not find the change answered.
                Volatile.Write(ref _wanted, 1);
                throw;
            }
            finally
            {
                Volatile.Write(ref _passing, 0);
            }
        }
    }

    /// <summary>
    /// Tells the waiting pods once: a change whose queue message was lost (a store write acknowledged as storage went
    /// away) is made up for at the resync, not only at <c>Kubelet__ScheduleRetry</c>.
    /// </summary>
    /// <param name="workflows">The workflows.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many pods were told.</returns>
    public Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        return TellWaitingPodsAsync(workflows, cancellationToken);
    }

    private async Task<int> TellWaitingPodsAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var pods = await _store.ListAsync(ResourceTypes.Pods, null, new ListQuery(WaitsForNode), cancellationToken);
        var chance = new PodEvent(new SchedulingChance(_time.GetUtcNow()));
        foreach (var pod in pods.Items)
        {
            await workflows.RaiseEventAsync(PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid), PodSignal.EventName, chance, cancellationToken);
        }

        if (pods.Items.Count > 0)
        {
            Log.SchedulingChance(_logger, pods.Items.Count);
        }

        return pods.Items.Count;
    }

    /// <summary>
    /// A pod the scheduler has turned down (PodScheduled False), neither being deleted nor past Pending. Only those: a pod
    /// not tried yet is scheduled when its workflow first runs, and an event raised to a workflow not started yet would
    /// reach an instance the provider may then take as existing. One turned down whose status is not written yet is
    /// told at the next resync.
    /// </summary>
    private static bool WaitsForNode(k8s.IKubernetesObject<V1ObjectMeta> obj) =>
        obj is V1Pod { Metadata.DeletionTimestamp: null } pod
        && pod.Status?.Phase is null or "Pending"
        && pod.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true;
}
