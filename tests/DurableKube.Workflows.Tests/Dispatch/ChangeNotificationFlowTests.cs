using DurableKube.Domain.Changes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Workflows.Tests.Dispatch;

/// <summary>Writes through the one write path, with the change notifier and the real handlers: what reaches the queue.</summary>
public sealed class ChangeNotificationFlowTests : IAsyncLifetime
{
    private static readonly ObjectKey Web = new(ResourceTypes.Pods, "default", "web");
    private readonly InMemoryObjectStore _store = new();
    private readonly InMemoryWorkQueue _queue = new();
    private readonly ObjectRegistry _registry;

    public ChangeNotificationFlowTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var kinds = BuiltInKinds.Registry();
        IChangeHandler[] handlers =
        [
            new PodChangeHandler(_store, Mock.Of<IOptionsMonitor<KubeletOptions>>(), Mock.Of<IOptionsMonitor<ReconcileOptions>>(), time,
                new WorkflowWatchdog(Mock.Of<IWorkflowWorker>(), time, NullLogger<WorkflowWatchdog>.Instance), NullLogger<PodChangeHandler>.Instance),
            new NamespaceChangeHandler(_store, Mock.Of<IOptionsMonitor<ReconcileOptions>>(), NullLogger<NamespaceChangeHandler>.Instance),
        ];
        var notifier = new ChangeNotifier(new ChangeRouter(kinds, handlers), _queue);
        _registry = new ObjectRegistry(_store, kinds, [notifier], time, NullLogger<ObjectRegistry>.Instance);
    }

    public async Task InitializeAsync() =>
        await _registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } });

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<UpdateOutcome> UpdatePodAsync(Action<V1Pod> change, string? subresource = null) =>
        _registry.UpdateAsync(Web, obj =>
        {
            change((V1Pod)obj);
            return obj;
        }, new UpdateOptions(subresource));

    [Fact]
    public async Task A_pods_life_queues_its_creation_the_start_of_its_deletion_and_its_removal_and_nothing_else()
    {
        Assert.Empty(_queue.Pending); // a namespace's creation concerns no one

        var created = await _registry.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        });
        var added = Assert.Single(_queue.Pending);
        Assert.Equal((ObjectChangeType.Added, "pods", "web", created.Metadata.Uid, created.Metadata.ResourceVersion), (added.Type, added.Resource, added.Name, added.Uid, added.ResourceVersion));

        await UpdatePodAsync(pod => pod.Spec.NodeName = "node-1", "binding");
        await UpdatePodAsync(pod => pod.Status.Phase = "Running", "status");
        await UpdatePodAsync(pod => pod.SetLabel("tier", "web"));
        Assert.Single(_queue.Pending);

        var marked = await _registry.DeleteAsync(Web);
        Assert.Equal(2, _queue.Pending.Count);
        var deleting = _queue.Pending[1];
        Assert.Equal((ObjectChangeType.Modified, true, marked.Object.Metadata.ResourceVersion), (deleting.Type, deleting.Deleting, deleting.ResourceVersion));
        Assert.True(deleting.Facets.HasFlag(ChangeFacets.Deletion));

        await UpdatePodAsync(pod => pod.Status.Phase = "Succeeded", "status");
        Assert.Equal(ChangeFacets.Status | ChangeFacets.Serving | ChangeFacets.PodFinished, ObjectDiff.Between(marked.Object, await _store.GetAsync(Web)));
        Assert.Equal(2, _queue.Pending.Count);

        var removed = await _registry.DeleteAsync(Web, DeleteOptions.ForUid(created.Metadata.Uid, 0));
        Assert.True(removed.Removed);
        Assert.Equal(3, _queue.Pending.Count);
        var gone = _queue.Pending[2];
        Assert.Equal((ObjectChangeType.Deleted, true, created.Metadata.Uid), (gone.Type, gone.Deleting, gone.Uid));
    }

    [Fact]
    public async Task A_second_delete_that_changes_nothing_queues_nothing()
    {
        await _registry.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        });
        await _registry.DeleteAsync(Web);

        var again = await _registry.DeleteAsync(Web);

        Assert.Equal(Domain.Deletion.DeletionAction.Unchanged, again.Action);
        Assert.Equal([ObjectChangeType.Added, ObjectChangeType.Modified], _queue.Pending.Select(c => c.Type));
    }

    [Fact]
    public async Task A_namespaces_deletion_queues_its_start_only()
    {
        var key = new ObjectKey(ResourceTypes.Namespaces, null, "team");
        await _registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });

        await _registry.DeleteAsync(key);
        var started = Assert.Single(_queue.Pending);
        Assert.Equal(("namespaces", null, "team", ObjectChangeType.Modified, true), (started.Resource, started.Namespace, started.Name, started.Type, started.Deleting));

        var finalized = await _registry.UpdateAsync(key, obj =>
        {
            ((V1Namespace)obj).Spec.Finalizers = [];
            return obj;
        }, new UpdateOptions("finalize"));

        Assert.True(finalized.Removed);
        Assert.Single(_queue.Pending);
    }
}
