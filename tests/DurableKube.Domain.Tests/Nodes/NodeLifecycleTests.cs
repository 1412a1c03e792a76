using DurableKube.Domain.Nodes;
using k8s.Models;

namespace DurableKube.Domain.Tests.Nodes;

public class NodeLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(40);

    private static V1Node Node(string ready = "True", double heartbeatSecondsAgo = 0, bool unschedulable = false, params V1Taint[] taints) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n1" },
        Spec = new V1NodeSpec { Unschedulable = unschedulable ? true : null, Taints = taints.Length == 0 ? null : [.. taints] },
        Status = new V1NodeStatus
        {
            Conditions =
            [
                new V1NodeCondition { Type = "MemoryPressure", Status = "False", LastHeartbeatTime = (T0 - TimeSpan.FromSeconds(heartbeatSecondsAgo)).UtcDateTime },
                new V1NodeCondition
                {
                    Type = "Ready", Status = ready, Reason = "KubeletReady",
                    LastHeartbeatTime = (T0 - TimeSpan.FromSeconds(heartbeatSecondsAgo)).UtcDateTime, LastTransitionTime = T0.AddHours(-1).UtcDateTime,
                },
            ],
        },
    };

    private static V1Pod Pod(string name = "p", string phase = "Running", string ready = "True", string containersReady = "True", params V1Toleration[] tolerations) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { NodeName = "n1", Tolerations = [.. tolerations] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions =
            [
                new V1PodCondition { Type = "ContainersReady", Status = containersReady },
                new V1PodCondition { Type = "Ready", Status = ready },
            ],
        },
    };

    private static V1Toleration Tolerate(string key, long? seconds, string op = "Exists", string? effect = "NoExecute") =>
        new() { Key = key, OperatorProperty = op, Effect = effect, TolerationSeconds = seconds };

    private static V1Taint Taint(string key, string effect, double? addedSecondsAgo = null) =>
        new() { Key = key, Effect = effect, TimeAdded = addedSecondsAgo is { } s ? (T0 - TimeSpan.FromSeconds(s)).UtcDateTime : null };

    [Theory]
    [InlineData("True", 39, true, false)]
    [InlineData("True", 40, true, true)]
    [InlineData("True", 300, true, true)]
    [InlineData("False", 41, true, true)]
    [InlineData("Unknown", 300, true, false)]
    [InlineData("True", 300, false, false)]
    public void A_node_silent_past_the_grace_period_with_pods_turns_Unknown(string ready, double silentSeconds, bool holdsPods, bool silent)
    {
        Assert.Equal(silent, NodeLifecycle.IsSilent(Node(ready, silentSeconds), holdsPods, T0, Grace));
    }

    [Fact]
    public void Marking_Unknown_turns_every_condition_Unknown_with_the_controller_reason_and_keeps_the_heartbeat()
    {
        var node = Node(heartbeatSecondsAgo: 50);

        NodeLifecycle.MarkUnknown(node, T0);

        Assert.All(node.Status.Conditions, c =>
        {
            Assert.Equal(("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."), (c.Status, c.Reason, c.Message));
            Assert.Equal(T0.UtcDateTime, c.LastTransitionTime);
            Assert.Equal(T0.AddSeconds(-50).UtcDateTime, c.LastHeartbeatTime);
        });
    }

    [Theory]
    [InlineData("True", false, "")]
    [InlineData("False", false, "node.kubernetes.io/not-ready:NoSchedule,node.kubernetes.io/not-ready:NoExecute")]
    [InlineData("Unknown", false, "node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute")]
    [InlineData("True", true, "node.kubernetes.io/unschedulable:NoSchedule")]
    [InlineData("Unknown", true, "node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unschedulable:NoSchedule")]
    public void The_Ready_condition_and_cordon_give_the_nodes_taints(string ready, bool unschedulable, string expected)
    {
        var taints = NodeLifecycle.Taints(Node(ready, unschedulable: unschedulable), T0);

        Assert.Equal(expected, string.Join(",", taints.Select(t => $"{t.Key}:{t.Effect}")));
        Assert.All(taints, t => Assert.Equal(t.Effect == "NoExecute" ? T0.UtcDateTime : null, t.TimeAdded));
    }

    [Fact]
    public void Taints_are_removed_when_the_node_is_Ready_again_and_others_are_kept()
    {
        var node = Node("True", 0, false, Taint("gpu", "NoSchedule"), Taint("node.kubernetes.io/unreachable", "NoSchedule"), Taint("node.kubernetes.io/unreachable", "NoExecute", 100));

        var taints = NodeLifecycle.Taints(node, T0);

        Assert.Equal("gpu:NoSchedule", string.Join(",", taints.Select(t => $"{t.Key}:{t.Effect}")));
    }

    [Fact]
    public void A_NoExecute_taint_keeps_the_time_it_was_added()
    {
        var node = Node("Unknown", 100, false, Taint("node.kubernetes.io/unreachable", "NoSchedule"), Taint("node.kubernetes.io/unreachable", "NoExecute", 30));

        var taints = NodeLifecycle.Taints(node, T0);

        Assert.True(NodeLifecycle.SameTaints(node.Spec.Taints, taints));
        Assert.Equal(T0.AddSeconds(-30).UtcDateTime, taints.Single(t => t.Effect == "NoExecute").TimeAdded);
    }

    public static TheoryData<V1Toleration[], double?> Evictions => new()
    {
        // No toleration of the taint: at once.
        { [], 0 },
        { [Tolerate("node.kubernetes.io/not-ready", 300)], 0 },

        // Tolerated for 300 s from when the taint was added (10 s ago).
        { [Tolerate("node.kubernetes.io/unreachable", 300)], 290 },
        { [Tolerate("node.kubernetes.io/unreachable", 5), Tolerate("node.kubernetes.io/unreachable", 300)], -5 },

        // Tolerated forever: never.
        { [Tolerate("node.kubernetes.io/unreachable", null)], null },
        { [Tolerate(string.Empty, null, effect: null)], null },

        // Zero or negative seconds: at once.
        { [Tolerate("node.kubernetes.io/unreachable", 0)], -10 },
        { [Tolerate("node.kubernetes.io/unreachable", -3)], -10 },

        // A toleration of another effect does not count.
        { [Tolerate("node.kubernetes.io/unreachable", 300, effect: "NoSchedule")], 0 },
    };

    [Theory]
    [MemberData(nameof(Evictions))]
    public void A_pod_on_a_NoExecute_tainted_node_is_evicted_once_its_toleration_runs_out(V1Toleration[] tolerations, double? inSeconds)
    {
        var taints = new[] { Taint("node.kubernetes.io/unreachable", "NoSchedule"), Taint("node.kubernetes.io/unreachable", "NoExecute", 10) };

        var at = NodeLifecycle.EvictionTime(Pod(tolerations: tolerations), taints, T0);

        Assert.Equal(inSeconds is { } s ? T0.AddSeconds(s) : null, at);
    }

    [Fact]
    public void No_NoExecute_taint_evicts_nothing()
    {
        Assert.Null(NodeLifecycle.EvictionTime(Pod(), [Taint("node.kubernetes.io/unschedulable", "NoSchedule")], T0));
    }

    [Theory]
    [InlineData("True", "True", true)]
    [InlineData("False", "False", false)]
    public void A_pod_of_a_node_not_ready_turns_Ready_False(string ready, string containersReady, bool changed)
    {
        var pod = Pod(ready: ready, containersReady: containersReady);

        Assert.Equal(changed, NodeLifecycle.MarkPodNotReady(pod, T0));
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Theory]
    [InlineData("Running", "False", "True", true)]
    [InlineData("Running", "False", "False", false)]
    [InlineData("Running", "True", "True", false)]
    [InlineData("Succeeded", "False", "True", false)]
    public void A_node_back_gives_its_pods_the_Ready_their_containers_say(string phase, string ready, string containersReady, bool restored)
    {
        var pod = Pod(phase: phase, ready: ready, containersReady: containersReady);

        Assert.Equal(restored, NodeLifecycle.RestorePodReady(pod, T0));
    }

    [Fact]
    public void A_silent_node_with_pods_is_marked_tainted_and_its_pods_turn_unready_and_wait_out_their_toleration()
    {
        var node = Node(heartbeatSecondsAgo: 45);
        var pods = new[]
        {
            Pod("tolerates", tolerations: Tolerate("node.kubernetes.io/unreachable", 300)),
            Pod("short", tolerations: Tolerate("node.kubernetes.io/unreachable", 0)),
            Pod("done", phase: "Succeeded", ready: "False", containersReady: "False", tolerations: Tolerate("node.kubernetes.io/unreachable", null)),
        };

        var plan = NodeLifecycle.Plan(node, pods, T0, Grace);

        Assert.True(plan.MarkUnknown);
        Assert.Equal("node.kubernetes.io/unreachable:NoSchedule,node.kubernetes.io/unreachable:NoExecute", string.Join(",", plan.Taints!.Select(t => $"{t.Key}:{t.Effect}")));
        Assert.Equal(["tolerates", "short"], plan.PodsNotReady);
        Assert.Equal(["short"], plan.Evict);
        Assert.Empty(plan.PodsReadyAgain);
        Assert.Equal(T0.AddSeconds(300), plan.RequeueAt);
    }

    [Fact]
    public void A_healthy_node_with_pods_is_looked_at_again_when_its_grace_would_end()
    {
        var plan = NodeLifecycle.Plan(Node(heartbeatSecondsAgo: 10), [Pod()], T0, Grace);

        Assert.Equal((false, (IReadOnlyList<V1Taint>?)null), (plan.MarkUnknown, plan.Taints));
        Assert.Empty(plan.PodsNotReady);
        Assert.Empty(plan.Evict);
        Assert.Equal(T0.AddSeconds(30), plan.RequeueAt);
    }

    [Fact]
    public void An_empty_silent_node_is_left_alone_with_nothing_to_look_at()
    {
        var plan = NodeLifecycle.Plan(Node(heartbeatSecondsAgo: 600), [], T0, Grace);

        Assert.False(plan.MarkUnknown);
        Assert.Null(plan.Taints);
        Assert.Null(plan.RequeueAt);
    }

    [Fact]
    public void A_node_that_reports_again_loses_its_taints_and_its_pods_are_ready_again()
    {
        var node = Node("True", 1, false, Taint("node.kubernetes.io/unreachable", "NoSchedule"), Taint("node.kubernetes.io/unreachable", "NoExecute", 20));

        var plan = NodeLifecycle.Plan(node, [Pod(ready: "False", tolerations: Tolerate("node.kubernetes.io/unreachable", 300))], T0, Grace);

        Assert.False(plan.MarkUnknown);
        Assert.NotNull(plan.Taints);
        Assert.Empty(plan.Taints);
        Assert.Equal(["p"], plan.PodsReadyAgain);
        Assert.Empty(plan.Evict);
    }

    [Fact]
    public void A_pod_being_deleted_is_not_evicted_again()
    {
        var pod = Pod();
        pod.Metadata.DeletionTimestamp = T0.UtcDateTime;

        var plan = NodeLifecycle.Plan(Node("Unknown", 100, false, Taint("node.kubernetes.io/unreachable", "NoExecute", 100)), [pod], T0, Grace);

        Assert.Empty(plan.Evict);
    }
}
