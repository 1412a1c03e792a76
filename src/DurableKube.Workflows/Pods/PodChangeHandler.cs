using DurableKube.Domain.Changes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// Gives every pod its kubelet: starts the pod's <see cref="PodLifecycleOrchestrator"/> when the pod is
/// created (or when the workflow it had failed or was terminated), and tells it when the pod is being
/// deleted or is gone. The kubelet's own status writes do not concern it, and never reach the queue.
/// </summary>
public sealed class PodChangeHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly IOptionsMonitor<KubeletOptions> _kubelet;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly TimeProvider _time;
    private readonly WorkflowWatchdog _watchdog;
    private readonly ILogger<PodChangeHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="PodChangeHandler"/> class.</summary>
    /// <param name="store">The objects, read only: a handler starts and signals workflows, and writes nothing.</param>
    /// <param name="kubelet">The kubelet options new pod workflows start with.</param>
    /// <param name="reconcile">How new pod workflows retry failed work.</param>
    /// <param name="time">The clock.</param>
    /// <param name="watchdog">Terminates pod workflows that are stuck, at the resync.</param>
    /// <param name="logger">The logger.</param>
    public PodChangeHandler(
        IObjectStore store, IOptionsMonitor<KubeletOptions> kubelet, IOptionsMonitor<ReconcileOptions> reconcile, TimeProvider time, WorkflowWatchdog watchdog, ILogger<PodChangeHandler> logger)
    {
        _store = store;
        _kubelet = kubelet;
        _reconcile = reconcile;
        _time = time;
        _watchdog = watchdog;
        _logger = logger;
    }

    /// <inheritdoc />
    public ResourceType Kind => ResourceTypes.Pods;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches => [];

    /// <summary>
    /// A pod's creation, the start of its deletion and its removal, and an update of its spec (a lowered
    /// <c>activeDeadlineSeconds</c>, ephemeral containers added through their subresource); not its status,
    /// which its kubelet writes, nor its binding to a node, which its kubelet makes.
    /// </summary>
    /// <param name="change">A pod change.</param>
    /// <returns>Whether the kubelet must hear of it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Resource == ResourceTypes.Pods.GroupResource
            && (change.Type is ObjectChangeType.Added or ObjectChangeType.Deleted
                || change.Facets.HasFlag(ChangeFacets.Deletion)
                || (!change.Deleting && (change.Subresource is null || change.Subresource == Subresource.EphemeralContainers.Name)
                    && change.Facets.HasFlag(ChangeFacets.Spec)));
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pod = (V1Pod?)await _store.GetAsync(new ObjectKey(ResourceTypes.Pods, change.Namespace, change.Name), cancellationToken);
        if (pod?.Metadata.Uid != change.Uid)
        {
            // The pod the change was about is gone (removed outright, or replaced under the same name).
            var instanceId = PodIdentity.WorkflowInstanceIdFor(change.Uid);
            if (await workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
            {
                await workflows.RaiseEventAsync(
                    instanceId, PodSignal.EventName, new PodEvent(new PodDeletionRequested(_time.GetUtcNow(), ObjectGone: true)), cancellationToken);
            }
        }

        if (pod is null)
        {
            return;
        }

        if (change.Type == ObjectChangeType.Added && pod.Metadata.DeletionTimestamp is null)
        {
            // A new pod: a kubelet that runs already has nothing to be told, and the start refuses while one does, so
            // its state is not read first (one read of the backend less on every pod's way to Running).
            await workflows.StartUnlessRunningAsync(Start(pod), _logger, cancellationToken);
            return;
        }

        var found = await workflows.GetStateAsync(PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid), cancellationToken);
        await EnsureAsync(pod, found, workflows, cancellationToken, specChanged: change.Type == ObjectChangeType.Modified && change.Facets.HasFlag(ChangeFacets.Spec));
    }

    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var pods = await _store.ListAsync(ResourceTypes.Pods, null, ListQuery.All, cancellationToken);
        var stuckAfter = _reconcile.CurrentValue.StuckAfter;
        foreach (var pod in pods.Items.Cast<V1Pod>())
        {
            // One read answers both questions. A workflow that has waited for one sync far longer than any takes is
            // started again from the pod as stored (its restart counts and runs are recovered from its status and the
            // runtime): at this resync it is terminated, at the next change or resync it starts.
            var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
            var details = await workflows.GetDetailsAsync(instanceId, historyLimit: 0, cancellationToken);
            if (!await _watchdog.CheckAsync(workflows, instanceId, details, stuckAfter, cancellationToken))
            {
                await EnsureAsync(pod, details?.State, workflows, cancellationToken);
            }
        }

        return pods.Items.Count;
    }

    /// <summary>The pod's kubelet workflow, as it starts from the pod as stored.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>What to start.</returns>
    private WorkflowStart Start(V1Pod pod)
    {
        // A kubelet that completed is done with its pod once it removed it, or once only finalizers hold it
        // (deleted with no grace left); a pod in any other state still needs one.
        var finished = pod.Metadata.DeletionTimestamp is not null && pod.Metadata.DeletionGracePeriodSeconds is 0;
        return new WorkflowStart(
            PodLifecycleOrchestrator.Name,
            PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid),
            () => new ReconcileInput<PodLifecycleState>(PodLifecycle.Initialize(pod, _kubelet.CurrentValue.ToSettings()), Timings: _reconcile.CurrentValue.ToTimings()),
            CompletedNeedsRestart: !finished,
            ResourceTypes.Pods.GroupResource,
            pod.Metadata.NamespaceProperty,
            pod.Metadata.Name);
    }

    /// <summary>Makes sure the pod's kubelet runs, and tells a running one of a deletion or a spec change.</summary>
    /// <param name="pod">The pod as stored.</param>
    /// <param name="found">Its workflow's state as just read; <see langword="null"/> when there is none.</param>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <param name="specChanged">Whether the change was to its spec.</param>
    private async Task EnsureAsync(
        V1Pod pod, WorkflowInstanceState? found, IWorkflowClient workflows, CancellationToken cancellationToken, bool specChanged = false)
    {
        var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
        if (await workflows.EnsureRunningAsync(Start(pod), found, _logger, cancellationToken))
        {
            return;
        }

        if (found == WorkflowInstanceState.Running && pod.Metadata.DeletionTimestamp is { } deletion)
        {
            await workflows.RaiseEventAsync(
                instanceId, PodSignal.EventName, new PodEvent(new PodDeletionRequested(KubeTime.ToInstant(deletion), ObjectGone: false)), cancellationToken);
        }
        else if (found == WorkflowInstanceState.Running && specChanged)
        {
            // An update may set or lower the deadline (never raise or remove it), and the ephemeralcontainers
            // subresource may add containers; the kubelet ignores what it already has.
            if (pod.Spec.ActiveDeadlineSeconds is { } seconds)
            {
                await workflows.RaiseEventAsync(
                    instanceId, PodSignal.EventName, new PodEvent(new ActiveDeadlineChanged(seconds)), cancellationToken);
            }

            if (pod.Spec.EphemeralContainers is { Count: > 0 } ephemeral)
            {
                await workflows.RaiseEventAsync(
                    instanceId, PodSignal.EventName, new PodEvent(new EphemeralContainersAdded([.. ephemeral.Select(c => c.Name)])), cancellationToken);
            }
        }
    }
}
