using DurableKube.Domain.Changes;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using DurableKube.Ports.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Namespaces;

/// <summary>Starts a namespace's termination workflow when its deletion starts (and again, should that workflow have failed or been terminated).</summary>
public sealed class NamespaceChangeHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly ILogger<NamespaceChangeHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="NamespaceChangeHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="reconcile">How new termination workflows retry failed work.</param>
    /// <param name="logger">The logger.</param>
    public NamespaceChangeHandler(IObjectStore store, IOptionsMonitor<ReconcileOptions> reconcile, ILogger<NamespaceChangeHandler> logger)
    {
        _store = store;
        _reconcile = reconcile;
        _logger = logger;
    }

    /// <inheritdoc />
    public ResourceType Kind => ResourceTypes.Namespaces;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches => [];

    /// <summary>The start of a namespace's deletion.</summary>
    /// <param name="change">A namespace change.</param>
    /// <returns>Whether it starts the termination.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Resource == ResourceTypes.Namespaces.GroupResource
            && change.Type == ObjectChangeType.Modified && change.Deleting && change.Facets.HasFlag(ChangeFacets.Deletion);
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var ns = (V1Namespace?)await _store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, change.Name), cancellationToken);
        if (ns?.Metadata.Uid == change.Uid && ns.Metadata.DeletionTimestamp is not null)
        {
            await EnsureAsync(ns, workflows, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var terminating = await _store.ListAsync(ResourceTypes.Namespaces, null, new ListQuery(n => n.Metadata.DeletionTimestamp is not null), cancellationToken);
        foreach (var ns in terminating.Items.Cast<V1Namespace>())
        {
            await EnsureAsync(ns, workflows, cancellationToken);
        }

        return terminating.Items.Count;
    }

    private async Task EnsureAsync(V1Namespace ns, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        var reference = new NamespaceRef(ns.Metadata.Name, ns.Metadata.Uid);
        await workflows.EnsureRunningAsync(
            new WorkflowStart(
                NamespaceTerminationOrchestrator.Name,
                reference.WorkflowInstanceId,
                () => new ReconcileInput<NamespaceTermination>(new NamespaceTermination(reference), Timings: _reconcile.CurrentValue.ToTimings()),
                CompletedNeedsRestart: true,
                ResourceTypes.Namespaces.GroupResource,
                null,
                ns.Metadata.Name),
            _logger,
            cancellationToken);
    }
}
