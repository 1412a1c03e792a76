using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.StatefulSets;
using DurableKube.Ports.Store;
using DurableKube.Testing.Runtime;
using DurableKube.Workflows.StatefulSets;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.StatefulSets;

/// <summary>
/// The StatefulSet controller on the real workflows (test host, in-memory store, fake runtime). The order of what
/// happened is read from the store's change feed (a watch of the namespace's pods), not from clocks.
/// </summary>
public sealed class StatefulSetControllerTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static V1StatefulSet Sts(string name, int replicas, string policy = "OrderedReady", string image = "busybox:1", int partition = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            PodManagementPolicy = policy,
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = partition } },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 1,
                    Containers = [new V1Container { Name = "app", Image = image, Command = ["sh", "-c", "sleep 3600"] }],
                },
            },
        },
    };

    private async Task<V1StatefulSet> CreateAsync(V1StatefulSet sts) => (V1StatefulSet)await _harness.Registry.CreateAsync(ResourceTypes.StatefulSets, sts);

    private Task UpdateAsync(string name, Action<V1StatefulSet> change) =>
        _harness.Registry.UpdateAsync(new ObjectKey(ResourceTypes.StatefulSets, "default", name), obj =>
        {
            change((V1StatefulSet)obj);
            return obj;
        });

    private async Task<V1StatefulSet> WaitForAsync(string name, Func<V1StatefulSet, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(40));
        V1StatefulSet? sts = null;
        while (DateTime.UtcNow < deadline)
        {
            sts = (V1StatefulSet?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.StatefulSets, "default", name));
            if (sts is not null && condition(sts))
            {
                return sts;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"statefulset {name} did not get there; last status: {KubeJson.Serialize(sts?.Status)}");
    }

    private static bool Settled(V1StatefulSet sts, int replicas) =>
        sts.Status is { } s && s.ObservedGeneration == sts.Metadata.Generation && s.Replicas == replicas && s.ReadyReplicas == replicas
        && s.UpdatedReplicas == replicas && s.CurrentRevision == s.UpdateRevision;

    private async Task<List<V1Pod>> PodsAsync() =>
        (await _harness.Store.ListAsync(ResourceTypes.Pods, "default", ListQuery.All)).Items.Cast<V1Pod>().OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task OrderedReady_creates_each_pod_only_after_the_one_before_is_Running_and_Ready()
    {
        await using var feed = await PodFeed.StartAsync(_harness.Store);
        await CreateAsync(Sts("web", 3));

        await WaitForAsync("web", s => Settled(s, 3));

        Assert.Equal(["web-0", "web-1", "web-2"], (await PodsAsync()).Select(p => p.Metadata.Name));
        Assert.True(feed.Index("web-0", PodFeed.Ready) < feed.Index("web-1", PodFeed.Added), feed.Describe());
        Assert.True(feed.Index("web-1", PodFeed.Ready) < feed.Index("web-2", PodFeed.Added), feed.Describe());
        var pod = (await PodsAsync())[1];
        Assert.Equal(("web-1", "web", "1"), (pod.Spec.Hostname, pod.Spec.Subdomain, pod.Metadata.Labels[StatefulSetIdentity.PodIndexLabel]));
    }

    [Fact]
    public async Task Scaling_down_removes_the_highest_ordinal_first_each_after_the_one_above_is_gone()
    {
        await CreateAsync(Sts("down", 3));
        await WaitForAsync("down", s => Settled(s, 3));
        await using var feed = await PodFeed.StartAsync(_harness.Store);

        await UpdateAsync("down", s => s.Spec.Replicas = 1);
        await WaitForAsync("down", s => s.Status?.Replicas == 1 && s.Status.ObservedGeneration == s.Metadata.Generation);

        Assert.Equal(["down-0"], (await PodsAsync()).Select(p => p.Metadata.Name));
        Assert.True(feed.Index("down-2", PodFeed.Deleted) < feed.Index("down-1", PodFeed.Terminating), feed.Describe());
        Assert.Equal(-1, feed.Index("down-0", PodFeed.Terminating));
    }

    [Fact]
    public async Task Parallel_creates_every_pod_without_waiting_for_the_others()
    {
        // No pod can become Ready (each container fails to start), so OrderedReady would stop at par-0.
        _harness.Runtime.Behavior = _ => new FakeBehavior(FailsToStart: true);
        await CreateAsync(Sts("par", 3, policy: "Parallel"));

        var sts = await WaitForAsync("par", s => s.Status?.Replicas == 3);

        Assert.Equal(0, sts.Status.ReadyReplicas ?? 0);
        Assert.Equal(["par-0", "par-1", "par-2"], (await PodsAsync()).Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task A_rolling_update_with_a_partition_updates_only_the_ordinals_at_or_above_it_from_the_highest_down()
    {
        await CreateAsync(Sts("roll", 4, partition: 2));
        var before = await WaitForAsync("roll", s => Settled(s, 4));
        await using var feed = await PodFeed.StartAsync(_harness.Store);

        await UpdateAsync("roll", s => s.Spec.Template.Spec.Containers[0].Image = "busybox:2");
        var sts = await WaitForAsync("roll", s => s.Status?.ObservedGeneration == 2 && s.Status.UpdatedReplicas == 2 && s.Status.ReadyReplicas == 4);

        var pods = await PodsAsync();
        Assert.Equal(["busybox:1", "busybox:1", "busybox:2", "busybox:2"], pods.Select(p => p.Spec.Containers[0].Image));
        Assert.Equal(before.Status.CurrentRevision, sts.Status.CurrentRevision);
        Assert.NotEqual(sts.Status.CurrentRevision, sts.Status.UpdateRevision);
        Assert.Equal(sts.Status.UpdateRevision, pods[3].Metadata.Labels[StatefulSetIdentity.RevisionLabel]);
        Assert.True(feed.Index("roll-3", PodFeed.Deleted) < feed.Index("roll-2", PodFeed.Terminating), feed.Describe());
        Assert.True(feed.Index("roll-3", PodFeed.Ready) < feed.Index("roll-2", PodFeed.Terminating), feed.Describe());
        Assert.Equal(-1, feed.Index("roll-1", PodFeed.Terminating));

        // Lowering the partition to 0 finishes the rollout: the update revision becomes current.
        await UpdateAsync("roll", s => s.Spec.UpdateStrategy.RollingUpdate.Partition = 0);
        sts = await WaitForAsync("roll", s => Settled(s, 4));
        Assert.All(await PodsAsync(), p => Assert.Equal("busybox:2", p.Spec.Containers[0].Image));
        var revisions = (await _harness.Store.ListAsync(ResourceTypes.ControllerRevisions, "default", ListQuery.All)).Items.Cast<V1ControllerRevision>().ToList();
        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision ?? 0).Order());
        Assert.All(revisions, r => Assert.Equal(sts.Metadata.Uid, OwnerReferences.ControllerOf(r.Metadata)?.Uid));
    }

    [Fact]
    public async Task A_pod_deleted_by_hand_comes_back_under_the_same_name()
    {
        var created = await CreateAsync(Sts("back", 2));
        await WaitForAsync("back", s => Settled(s, 2));
        var first = (await PodsAsync()).Single(p => p.Metadata.Name == "back-1");

        await _harness.DeletePodAsync("back-1");

        var again = await _harness.WaitForPodAsync("back-1", p => p.Metadata.Uid != first.Metadata.Uid && PodConditions.IsReady(p));
        Assert.Equal(created.Metadata.Uid, OwnerReferences.ControllerOf(again.Metadata)?.Uid);
        await WaitForAsync("back", s => Settled(s, 2));
    }

    [Fact]
    public async Task A_sync_that_fails_after_creating_a_pod_and_is_retried_makes_no_second_pod()
    {
        // Every status write of the set fails for a while: each sync creates its pod, then fails, and is tried again.
        var failures = 6;
        _harness.Faults.Fault = (operation, type, _) =>
            operation == "Update" && type == ResourceTypes.StatefulSets && Interlocked.Decrement(ref failures) >= 0 ? new IOException("storage is down") : null;

        await CreateAsync(Sts("crashy", 2));
        await WaitForAsync("crashy", s => Settled(s, 2));

        Assert.True(_harness.Faults.Faulted > 0);
        Assert.Equal(["crashy-0", "crashy-1"], (await PodsAsync()).Select(p => p.Metadata.Name));
        Assert.Equal(2, _harness.Runtime.Launches.Count(l => l.PodName.StartsWith("crashy-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Two_syncs_racing_to_create_the_same_ordinal_make_one_pod_and_neither_fails()
    {
        var sts = await CreateAsync(Sts("race", 1));
        var activity = new SyncStatefulSetActivity(_harness.Registry, TimeProvider.System, NullLogger<SyncStatefulSetActivity>.Instance);
        var reference = new Controllers.ControllerRef(ResourceTypes.StatefulSets.GroupResource, "default", "race", sts.Metadata.Uid);

        var results = await Task.WhenAll(activity.RunAsync(reference), activity.RunAsync(reference), activity.RunAsync(reference));

        Assert.All(results, r => Assert.False(r.Gone));
        Assert.Equal(["race-0"], (await PodsAsync()).Select(p => p.Metadata.Name));
        Assert.Single((await _harness.Store.ListAsync(ResourceTypes.ControllerRevisions, "default", ListQuery.All)).Items);
    }

    /// <summary>The pods' changes in the order the store made them.</summary>
    private sealed class PodFeed : IAsyncDisposable
    {
        public const string Added = "ADDED";
        public const string Ready = "READY";
        public const string Terminating = "TERMINATING";
        public const string Deleted = "DELETED";

        private readonly List<(string Name, string What)> _events = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;

        public static async Task<PodFeed> StartAsync(IObjectStore store)
        {
            var feed = new PodFeed();
            var from = await store.GetResourceVersionAsync();
            feed._reading = feed.ReadAsync(store, from);
            return feed;
        }

        /// <summary>The position of the first event of a kind for a pod, or -1.</summary>
        public int Index(string name, string what)
        {
            lock (_events)
            {
                return _events.FindIndex(e => e.Name == name && e.What == what);
            }
        }

        public string Describe()
        {
            lock (_events)
            {
                return string.Join(", ", _events.Select(e => $"{e.Name} {e.What}"));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _reading;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task ReadAsync(IObjectStore store, string from)
        {
            var seen = new HashSet<(string, string)>();
            await foreach (var change in store.WatchAsync(ResourceTypes.Pods, "default", from, _stop.Token))
            {
                var pod = (V1Pod)change.Object;
                var what = change.Type switch
                {
                    WatchEventType.Added => Added,
                    WatchEventType.Deleted => Deleted,
                    _ when pod.Metadata.DeletionTimestamp is not null => Terminating,
                    _ when PodConditions.IsReady(pod) => Ready,
                    _ => null,
                };
                if (what is not null && seen.Add((pod.Metadata.Name + "/" + pod.Metadata.Uid, what)))
                {
                    lock (_events)
                    {
                        _events.Add((pod.Metadata.Name, what));
                    }
                }
            }
        }
    }
}
