using DurableKube.Domain.Changes;
using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Pods;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>Unschedulable pods are told of the cluster changes that may let them fit, once per flood of changes.</summary>
public sealed class SchedulingChanceHandlerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryObjectStore _store = new();
    private readonly SchedulingChanceHandler _handler;

    public SchedulingChanceHandlerTests() =>
        _handler = new SchedulingChanceHandler(_store, new FakeTimeProvider(Now), NullLogger<SchedulingChanceHandler>.Instance);

    private static ObjectChange Change(ResourceType type, ObjectChangeType kind, ChangeFacets facets = ChangeFacets.All) =>
        new ObjectChange(type.GroupResource, type == ResourceTypes.Nodes ? null : "default", "x", "uid-x", kind, "1") { Facets = facets };

    [Theory]
    [InlineData("nodes", ObjectChangeType.Added, ChangeFacets.All, true)]
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Spec, true)] // cordon, taints
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Labels, true)]
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Status | ChangeFacets.NodeReady, true)]
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Status | ChangeFacets.NodeAllocatable, true)]
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Status, false)] // a heartbeat
    [InlineData("nodes", ObjectChangeType.Modified, ChangeFacets.Annotations, false)]
    [InlineData("nodes", ObjectChangeType.Deleted, ChangeFacets.All, false)]
    [InlineData("pods", ObjectChangeType.Deleted, ChangeFacets.All, true)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Status | ChangeFacets.Serving | ChangeFacets.PodFinished, true)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Status | ChangeFacets.Serving, false)]
    [InlineData("pods", ObjectChangeType.Modified, ChangeFacets.Deletion, false)] // it still holds its node until removed
    [InlineData("pods", ObjectChangeType.Added, ChangeFacets.All, false)]
    [InlineData("configmaps", ObjectChangeType.Added, ChangeFacets.All, false)]
    public void Wants_the_changes_that_may_let_a_pod_fit(string resource, ObjectChangeType type, ChangeFacets facets, bool wanted)
    {
        var kind = resource switch { "nodes" => ResourceTypes.Nodes, "pods" => ResourceTypes.Pods, _ => ResourceTypes.ConfigMaps };
        Assert.Equal(wanted, _handler.Wants(Change(kind, type, facets)));
    }

    [Fact]
    public async Task Only_pods_waiting_for_a_node_are_told()
    {
        await PodAsync("unbound", scheduled: "False");
        await PodAsync("new", phase: null);
        await PodAsync("not-tried-yet");
        await PodAsync("refused-by-its-node", node: "gone", scheduled: "False");
        await PodAsync("bound", node: "node-1", scheduled: "True");
        await PodAsync("deleting", deleting: true);
        await PodAsync("done", phase: "Succeeded");
        var told = new List<(string Instance, SchedulingChance Chance)>();
        var workflows = Recording(told);

        await _handler.HandleAsync(Change(ResourceTypes.Nodes, ObjectChangeType.Added), workflows.Object, CancellationToken.None);

        Assert.Equal(
            ["pod-uid-refused-by-its-node", "pod-uid-unbound"],
            told.Select(t => t.Instance).Order(StringComparer.Ordinal));
        Assert.All(told, t => Assert.Equal(Now, t.Chance.At));
    }

    [Fact]
    public async Task The_resync_tells_the_waiting_pods_for_a_change_whose_message_was_lost()
    {
        await PodAsync("unbound", scheduled: "False");
        await PodAsync("bound", node: "node-1", scheduled: "True");
        var told = new List<(string Instance, SchedulingChance Chance)>();

        Assert.Equal(1, await _handler.ResyncAsync(Recording(told).Object, CancellationToken.None));
        Assert.Equal("pod-uid-unbound", Assert.Single(told).Instance);
    }

    [Fact]
    public async Task Changes_that_come_while_a_pass_runs_are_answered_by_one_more_pass_not_one_each()
    {
        await PodAsync("waiting", scheduled: "False");
        var passes = 0;
        var firstPass = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        workflows.Setup(w => w.RaiseEventAsync("pod-uid-waiting", PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                if (Interlocked.Increment(ref passes) == 1)
                {
                    firstPass.SetResult();
                    await release.Task;
                }
            });

        var first = Task.Run(() => _handler.HandleAsync(Change(ResourceTypes.Pods, ObjectChangeType.Deleted), workflows.Object, CancellationToken.None));
        await firstPass.Task;
        var flood = Enumerable.Range(0, 20)
            .Select(_ => _handler.HandleAsync(Change(ResourceTypes.Pods, ObjectChangeType.Deleted), workflows.Object, CancellationToken.None))
            .ToList();
        await Task.WhenAll(flood); // they leave it to the pass that runs
        release.SetResult();
        await first;

        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task A_pass_that_fails_leaves_the_change_unanswered_for_its_retry()
    {
        await PodAsync("waiting", scheduled: "False");
        var calls = 0;
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        workflows.Setup(w => w.RaiseEventAsync("pod-uid-waiting", PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref calls) == 1 ? Task.FromException(new IOException("storage away")) : Task.CompletedTask);
        var change = Change(ResourceTypes.Nodes, ObjectChangeType.Added);

        await Assert.ThrowsAsync<IOException>(() => _handler.HandleAsync(change, workflows.Object, CancellationToken.None));
        await _handler.HandleAsync(change, workflows.Object, CancellationToken.None);

        Assert.Equal(2, calls);
    }

    private static Mock<IWorkflowClient> Recording(List<(string Instance, SchedulingChance Chance)> told)
    {
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), PodSignal.EventName, It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string id, string _, object payload, CancellationToken _) => told.Add((id, (SchedulingChance)((PodEvent)payload).Signal)))
            .Returns(Task.CompletedTask);
        return workflows;
    }

    private async Task PodAsync(string name, string? phase = "Pending", string? node = null, string? scheduled = null, bool deleting = false)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "default",
                Uid = $"uid-{name}",
                DeletionTimestamp = deleting ? Now.UtcDateTime : null,
            },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "app", Image = "busybox" }] },
            Status = phase is null ? null : new V1PodStatus
            {
                Phase = phase,
                Conditions = scheduled is null ? null : [new V1PodCondition { Type = "PodScheduled", Status = scheduled }],
            },
        };
        await _store.CreateAsync(ResourceTypes.Pods, pod);
    }
}
