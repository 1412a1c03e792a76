using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Ports.Tests.Store;

public sealed class ObjectStoreExtensionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryObjectStore _store = new();

    private static ObjectKey Key(string name) => new(ResourceTypes.Pods, "default", name);

    private Task<IKubernetesObject<V1ObjectMeta>> CreateAsync(string name, string? node = null, string? phase = null, params string[] finalizers) =>
        _store.CreateAsync(ResourceTypes.Pods, new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Finalizers = finalizers.Length > 0 ? finalizers : null },
            Spec = new V1PodSpec { NodeName = node, TerminationGracePeriodSeconds = 30, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            Status = new V1PodStatus { Phase = phase ?? "Pending" },
        });

    [Fact]
    public async Task UpdateAsync_applies_the_change_again_on_a_fresh_read_after_a_conflict()
    {
        await CreateAsync("web");
        var raced = false;

        var updated = await _store.UpdateAsync<V1Pod>(Key("web"), pod =>
        {
            if (!raced)
            {
                // Another writer gets in between this read and the write.
                raced = true;
                var other = _store.GetAsync<V1Pod>(ResourceTypes.Pods, "default", "web").GetAwaiter().GetResult()!;
                other.Metadata.Labels = new Dictionary<string, string> { ["by"] = "other" };
                _store.UpdateAsync(ResourceTypes.Pods, other).GetAwaiter().GetResult();
            }

            pod.Metadata.Annotations = new Dictionary<string, string> { ["by"] = "me" };
            return true;
        });

        Assert.Equal("other", updated!.Metadata.Labels["by"]);
        Assert.Equal("me", updated.Metadata.Annotations["by"]);
    }

    [Fact]
    public async Task UpdateAsync_writes_nothing_when_the_change_says_so_and_null_for_a_missing_object()
    {
        var created = await CreateAsync("web");

        var same = await _store.UpdateAsync<V1Pod>(Key("web"), _ => false);

        Assert.Equal(created.Metadata.ResourceVersion, same!.Metadata.ResourceVersion);
        Assert.Null(await _store.UpdateAsync<V1Pod>(Key("missing"), _ => true));
    }

    [Fact]
    public async Task A_running_pod_is_marked_with_its_grace_period_not_removed()
    {
        await CreateAsync("web", node: "node-1");

        var outcome = await _store.DeleteGracefullyAsync(Key("web"), null, Now);

        Assert.Equal(DeletionAction.Update, outcome.Action);
        Assert.False(outcome.Removed);
        var pod = await _store.GetAsync<V1Pod>(ResourceTypes.Pods, "default", "web");
        Assert.Equal(Now.AddSeconds(30).UtcDateTime, pod!.Metadata.DeletionTimestamp);
        Assert.Equal(30, pod.Metadata.DeletionGracePeriodSeconds);
    }

    [Theory]
    [InlineData(null, null)]          // never bound to a node: nothing runs it
    [InlineData("node-1", "Succeeded")] // finished: nothing runs any more
    public async Task A_pod_nothing_runs_is_removed_at_once(string? node, string? phase)
    {
        await CreateAsync("web", node, phase);

        var outcome = await _store.DeleteGracefullyAsync(Key("web"), null, Now);

        Assert.True(outcome.Removed);
        Assert.Null(await _store.GetAsync(Key("web")));
    }

    [Fact]
    public async Task The_kubelets_final_delete_removes_a_terminating_pod_unless_finalizers_hold_it()
    {
        await CreateAsync("free", node: "node-1");
        await CreateAsync("held", "node-1", null, "example.com/keep");
        await _store.DeleteGracefullyAsync(Key("free"), null, Now);
        await _store.DeleteGracefullyAsync(Key("held"), null, Now);

        Assert.True((await _store.DeleteGracefullyAsync(Key("free"), 0, Now.AddSeconds(5))).Removed);
        var held = await _store.DeleteGracefullyAsync(Key("held"), 0, Now.AddSeconds(5));

        Assert.False(held.Removed);
        Assert.Equal(0, held.Object.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(await _store.GetAsync(Key("held")));
    }

    [Fact]
    public async Task Verify_can_refuse_and_then_nothing_changes()
    {
        var created = await CreateAsync("web", node: "node-1");

        await Assert.ThrowsAsync<StoreException>(() => _store.DeleteGracefullyAsync(
            Key("web"), null, Now, existing => throw StoreException.Conflict(Key(existing.Metadata.Name))));

        Assert.Equal(created.Metadata.ResourceVersion, (await _store.GetAsync(Key("web")))!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Deleting_what_is_not_there_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<StoreException>(() => _store.DeleteGracefullyAsync(Key("missing"), null, Now));

        Assert.Equal(StoreErrorKind.NotFound, error.Kind);
        Assert.Equal("pods \"missing\" not found", error.Message);
    }
}
