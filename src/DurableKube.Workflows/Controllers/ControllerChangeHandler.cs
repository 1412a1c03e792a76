using DurableKube.Domain.Changes;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Controllers;

/// <summary>
/// The dispatcher's handler of one controller kind (what its informers' event handlers do in Kubernetes): a
/// change of one of its objects, or of something one of them controls (a pod's creation, readiness, deletion),
/// wakes that object's workflow, starting it if it does not run; a change of an orphan its selector may
/// match wakes every object of the kind that selects it, so it can adopt it. The controller's own status
/// writes do not wake it.
/// </summary>
public sealed class ControllerChangeHandler : IChangeHandler
{
    private readonly ControllerDefinition _definition;
    private readonly IObjectStore _store;
    private readonly IOptionsMonitor<ReconcileOptions> _reconcile;
    private readonly ILogger<ControllerChangeHandler> _logger;

    /// <summary>Initializes a new instance of the <see cref="ControllerChangeHandler"/> class.</summary>
    /// <param name="definition">The controller kind.</param>
    /// <param name="store">The objects, read only.</param>
    /// <param name="reconcile">How new controller workflows retry failed work.</param>
    /// <param name="logger">The logger.</param>
    public ControllerChangeHandler(ControllerDefinition definition, IObjectStore store, IOptionsMonitor<ReconcileOptions> reconcile, ILogger<ControllerChangeHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _definition = definition;
        _store = store;
        _reconcile = reconcile;
        _logger = logger;
        Watches = definition.Selector is null ? [] : [definition.Dependent];
    }

    /// <inheritdoc />
    public ResourceType? Kind => _definition.Kind;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches { get; }

    /// <summary>
    /// Of its own kind: anything but a status write. Of what one of its objects controls, now or before the
    /// write: anything. Of an orphan of the dependent kind: its creation, or a change of its labels or owners.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <returns>Whether to wake a workflow for it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Resource == _definition.Kind.GroupResource)
        {
            return change.Type != ObjectChangeType.Modified || (change.Facets & ~ChangeFacets.Status) != ChangeFacets.None;
        }

        if (change.Resource != _definition.Dependent.GroupResource)
        {
            return false;
        }

        if (IsOurs(change.Controller) || IsOurs(change.FormerController))
        {
            return true;
        }

        return change.Controller is null && _definition.Selector is not null && !change.Deleting
            && (change.Type == ObjectChangeType.Added || (change.Facets & (ChangeFacets.Labels | ChangeFacets.Owners)) != ChangeFacets.None);
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        if (change.Resource == _definition.Kind.GroupResource)
        {
            await WakeAsync(workflows, change.Namespace, change.Name, change.Uid, $"{change.Type} {change.Resource} {change.Namespace}/{change.Name}", cancellationToken);
            return;
        }

        var reason = $"{change.Type} {change.Resource} {change.Namespace}/{change.Name}";
        var owners = new[] { change.Controller, change.FormerController }.Where(IsOurs).DistinctBy(o => o!.Uid).ToList();
        foreach (var owner in owners)
        {
            await WakeAsync(workflows, change.Namespace, owner!.Name, owner.Uid, reason, cancellationToken);
        }

        if (owners.Count == 0 && _definition.Selector is { } selectorOf)
        {
            // An orphan: every object of the kind whose selector matches it may adopt it.
            var dependent = await _store.GetAsync(new ObjectKey(_definition.Dependent, change.Namespace, change.Name), cancellationToken);
            if (dependent?.Metadata.Uid != change.Uid)
            {
                return;
            }

            var candidates = await _store.ListAsync(_definition.Kind, change.Namespace, ListQuery.All, cancellationToken);
            foreach (var candidate in candidates.Items.Where(c => Selects(selectorOf(c), dependent.Metadata.Labels)))
            {
                await EnsureAsync(workflows, candidate, reason, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var objects = await _store.ListAsync(_definition.Kind, null, ListQuery.All, cancellationToken);
        foreach (var obj in objects.Items)
        {
            await EnsureAsync(workflows, obj, reason: null, cancellationToken);
        }

        return objects.Items.Count;
    }

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        try
        {
            return LabelSelector.FromLabelSelector(selector).Matches(labels);
        }
        catch (SelectorParseException)
        {
            return false;
        }
    }

    private bool IsOurs(ObjectOwner? owner) =>
        owner is not null && owner.Kind == _definition.Kind.Kind && owner.ApiVersion == _definition.Kind.ApiVersion;

    /// <summary>Wakes the workflow of one object; starts it if it does not run and the object is there.</summary>
    private async Task WakeAsync(IWorkflowClient workflows, string? @namespace, string name, string uid, string reason, CancellationToken cancellationToken)
    {
        var instanceId = _definition.InstanceIdFor(uid);
        if (await workflows.GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
        {
            await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake(reason), cancellationToken);
            return;
        }

        var obj = await _store.GetAsync(new ObjectKey(_definition.Kind, @namespace, name), cancellationToken);
        if (obj?.Metadata.Uid == uid)
        {
            await EnsureAsync(workflows, obj, reason, cancellationToken);
        }
    }

    private async Task EnsureAsync(IWorkflowClient workflows, IKubernetesObject<V1ObjectMeta> obj, string? reason, CancellationToken cancellationToken)
    {
        var meta = obj.Metadata;
        var instanceId = _definition.InstanceIdFor(meta.Uid);
        var reference = new ControllerRef(_definition.Kind.GroupResource, meta.NamespaceProperty, meta.Name, meta.Uid);
        var (found, started) = await workflows.EnsureRunningAsync(
            new WorkflowStart(
                _definition.Orchestration,
                instanceId,
                () => new ReconcileInput<ControllerState>(new ControllerState(reference), Timings: _reconcile.CurrentValue.ToTimings()),
                CompletedNeedsRestart: true,
                _definition.Kind.GroupResource,
                meta.NamespaceProperty,
                meta.Name),
            _logger,
            cancellationToken);
        if (!started && reason is not null && found == WorkflowInstanceState.Running)
        {
            await workflows.RaiseEventAsync(instanceId, Wake.EventName, new Wake(reason), cancellationToken);
        }
    }
}
