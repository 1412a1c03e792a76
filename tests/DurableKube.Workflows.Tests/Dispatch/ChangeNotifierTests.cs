using DurableKube.Domain.Changes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Queue;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Dispatch;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Dispatch;

public class ChangeNotifierTests
{
    private readonly InMemoryWorkQueue _queue = new();

    private static V1Pod Pod(string resourceVersion, string phase = "Pending") => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "uid-web", ResourceVersion = resourceVersion },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        Status = new V1PodStatus { Phase = phase },
    };

    private ChangeNotifier Notifier(params IChangeHandler[] handlers) => new(new ChangeRouter(TestKinds.Registry(), handlers), _queue);

    [Theory]
    [InlineData(WriteOperation.Create, ObjectChangeType.Added)]
    [InlineData(WriteOperation.Update, ObjectChangeType.Modified)]
    [InlineData(WriteOperation.Delete, ObjectChangeType.Deleted)]
    public async Task A_write_becomes_the_change_of_its_operation(WriteOperation operation, ObjectChangeType type)
    {
        var old = operation == WriteOperation.Create ? null : Pod("6");
        var now = Pod("7", "Running");

        await Notifier(new FakeHandler("pods", ResourceTypes.Pods)).AfterWriteAsync(new ObjectWrite(CoreKinds.Pods, operation, old, now), CancellationToken.None);

        var queued = Assert.Single(_queue.Pending);
        Assert.Equal(ObjectChange.Of(ResourceTypes.Pods, type, old, now), queued);
        Assert.Equal(type, queued.Type);
        Assert.Equal(type == ObjectChangeType.Modified ? ChangeFacets.Status | ChangeFacets.Serving : ChangeFacets.All, queued.Facets);
    }

    [Fact]
    public async Task Only_a_change_some_handler_wants_is_queued()
    {
        var notifier = Notifier(
            new FakeHandler("pods", ResourceTypes.Pods, wants: c => c.Type == ObjectChangeType.Added),
            new FakeHandler("gc", null, [TestKinds.ReplicaSets]));

        await notifier.AfterWriteAsync(new ObjectWrite(CoreKinds.Pods, WriteOperation.Update, Pod("6"), Pod("7", "Running")), CancellationToken.None);
        Assert.Empty(_queue.Pending);

        await notifier.AfterWriteAsync(new ObjectWrite(CoreKinds.Pods, WriteOperation.Create, null, Pod("6")), CancellationToken.None);
        Assert.Equal(ObjectChangeType.Added, Assert.Single(_queue.Pending).Type);
    }

    [Fact]
    public async Task A_change_of_a_kind_no_handler_sees_is_not_queued()
    {
        var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "team", Uid = "uid-team", ResourceVersion = "3" } };

        await Notifier(new FakeHandler("pods", ResourceTypes.Pods)).AfterWriteAsync(new ObjectWrite(CoreKinds.Namespaces, WriteOperation.Create, null, ns), CancellationToken.None);

        Assert.Empty(_queue.Pending);
    }

    [Fact]
    public async Task A_change_the_controller_wants_is_queued_once_for_all_the_handlers_it_reaches()
    {
        var pod = Pod("7");
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-1", Uid = "uid-rs", Controller = true }];
        var marked = KubeJson.Clone(pod);
        marked.Metadata.ResourceVersion = "8";
        marked.Metadata.DeletionTimestamp = new DateTime(2026, 1, 1, 0, 0, 30, DateTimeKind.Utc);
        var podHandler = new FakeHandler("pods", ResourceTypes.Pods);
        var owner = new FakeHandler("replicasets", TestKinds.ReplicaSets);

        await Notifier(podHandler, owner).AfterWriteAsync(new ObjectWrite(CoreKinds.Pods, WriteOperation.Update, pod, marked), CancellationToken.None);

        var queued = Assert.Single(_queue.Pending);
        Assert.True(queued.Deleting);
        Assert.Equal("web-1", queued.Controller?.Name);
        Assert.Equal([queued], owner.Asked);
    }
}
