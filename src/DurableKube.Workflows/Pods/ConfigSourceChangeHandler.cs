using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using k8s.Models;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// Tells the kubelets of the pods that name a ConfigMap or Secret that it was created or changed: a pod waiting for it
/// (CreateContainerConfigError, FailedMount) tries again at once rather than at its next retry, and a running pod whose
/// volume shows it has its files refreshed in place (the kubelet does so within its sync period plus cache TTL, about a
/// minute; here within a dispatch). Only the pods of the object's namespace are read, and only those that name it signalled.
/// </summary>
public sealed class ConfigSourceChangeHandler : IChangeHandler
{
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="ConfigSourceChangeHandler"/> class.</summary>
    /// <param name="store">The objects, read only.</param>
    /// <param name="time">The clock.</param>
    public ConfigSourceChangeHandler(IObjectStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <inheritdoc />
    public ResourceType Kind => ResourceTypes.ConfigMaps;

    /// <inheritdoc />
    public IReadOnlyList<ResourceType> Watches => [ResourceTypes.Secrets];

    /// <summary>A ConfigMap's or Secret's creation, and a change of its content (not of its metadata alone, nor its removal: files stay as they were).</summary>
    /// <param name="change">A change.</param>
    /// <returns>Whether the pods naming it must hear of it.</returns>
    public bool Wants(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return (change.Resource == ResourceTypes.ConfigMaps.GroupResource || change.Resource == ResourceTypes.Secrets.GroupResource)
            && !change.Deleting
            && (change.Type == ObjectChangeType.Added || (change.Type == ObjectChangeType.Modified && change.Facets.HasFlag(Domain.Changes.ChangeFacets.Spec)));
    }

    /// <inheritdoc />
    public async Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(workflows);
        var kind = change.Resource == ResourceTypes.Secrets.GroupResource ? "Secret" : "ConfigMap";
        var pods = await _store.ListAsync(ResourceTypes.Pods, change.Namespace, ListQuery.All, cancellationToken);
        foreach (var pod in pods.Items.Cast<V1Pod>())
        {
            if (pod.Spec is null || pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed"
                || !ConfigSources.UsedByPod(pod.Spec).Names(kind, change.Name))
            {
                continue;
            }

            var instanceId = PodIdentity.WorkflowInstanceIdFor(pod.Metadata.Uid);
            if (await workflows.GetStateAsync(instanceId, cancellationToken) != WorkflowInstanceState.Running)
            {
                continue;
            }

            var mounted = (pod.Spec.Volumes ?? []).Any(v => PodVolumes.Shows(v, kind, change.Name));
            await workflows.RaiseEventAsync(
                instanceId, PodSignal.EventName, new PodEvent(new ConfigSourceChanged(kind, change.Name, _time.GetUtcNow(), mounted)), cancellationToken);
        }
    }

    /// <summary>Nothing to resync: a pod that missed a signal finds the object at its next retry.</summary>
    /// <param name="workflows">The workflows.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Zero.</returns>
    public Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken) => Task.FromResult(0);
}
