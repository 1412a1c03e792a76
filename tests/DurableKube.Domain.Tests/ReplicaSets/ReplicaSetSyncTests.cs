using DurableKube.Domain.ReplicaSets;
using k8s.Models;
using static DurableKube.Domain.Tests.ReplicaSets.ReplicaSetPods;

namespace DurableKube.Domain.Tests.ReplicaSets;

/// <summary>The ReplicaSet controller's decisions (replica_set.go: syncReplicaSet, manageReplicas, calculateStatus).</summary>
public sealed class ReplicaSetSyncTests
{
    private static readonly Dictionary<string, string> OtherLabels = new() { ["tier"] = "backend" };

    private static string Names(IEnumerable<V1Pod> pods) => string.Join(",", pods.Select(p => p.Metadata.Name));

    [Fact]
    public void Claiming_adopts_matching_orphans_releases_owned_pods_that_stopped_matching_and_leaves_other_controllers_pods()
    {
        V1Pod[] pods =
        [
            Pod("mine"),
            Pod("orphan", owner: null),
            Pod("orphan-elsewhere", owner: null, labels: OtherLabels),
            Pod("relabeled", labels: OtherLabels),
            Pod("theirs", owner: "other-uid"),
        ];

        var plan = ReplicaSetSync.Plan(Frontend(replicas: 2), pods, T0);

        Assert.Equal("orphan", Names(plan.Adopt));
        Assert.Equal("relabeled", Names(plan.Release));
        Assert.Equal("mine,orphan", Names(plan.Active));
        Assert.Equal((0, 0), (plan.Create, plan.Delete.Count));
    }

    [Fact]
    public void A_ReplicaSet_being_deleted_adopts_releases_creates_and_deletes_nothing_but_still_counts_its_pods()
    {
        V1Pod[] pods = [Pod("mine"), Pod("orphan", owner: null), Pod("relabeled", labels: OtherLabels)];

        var plan = ReplicaSetSync.Plan(Frontend(replicas: 5, deleting: true), pods, T0);

        Assert.Empty(plan.Adopt);
        Assert.Empty(plan.Release);
        Assert.Equal("mine", Names(plan.Active));
        Assert.Equal((0, 0), (plan.Create, plan.Delete.Count));
    }

    [Theory]
    [InlineData("Succeeded", false)]
    [InlineData("Failed", false)]
    [InlineData("Running", true)]
    public void Finished_and_terminating_orphans_are_not_adopted(string phase, bool deleting)
    {
        var plan = ReplicaSetSync.Plan(Frontend(replicas: 1), [Pod("orphan", owner: null, phase: phase, deleting: deleting)], T0);

        Assert.Empty(plan.Adopt);
        Assert.Equal(1, plan.Create);
    }

    [Theory]
    [InlineData("Succeeded", false)]
    [InlineData("Failed", false)]
    [InlineData("Running", true)]
    public void Finished_and_terminating_pods_do_not_count_and_are_replaced(string phase, bool deleting)
    {
        V1Pod[] pods = [Pod("a"), Pod("b"), Pod("gone", phase: phase, deleting: deleting)];

        var plan = ReplicaSetSync.Plan(Frontend(replicas: 3), pods, T0);

        Assert.Equal("a,b", Names(plan.Active));
        Assert.Equal(1, plan.Create);
        Assert.Empty(plan.Delete);

        // Nor are they released when their labels no longer match: inactive pods are not claimed at all.
        var relabeled = ReplicaSetSync.Plan(Frontend(replicas: 0), [Pod("gone", phase: phase, deleting: deleting, labels: OtherLabels)], T0);
        Assert.Empty(relabeled.Release);
    }

    [Theory]
    [InlineData(3, 0, 3, 0)]
    [InlineData(3, 1, 2, 0)]
    [InlineData(3, 3, 0, 0)]
    [InlineData(1, 3, 0, 2)]
    [InlineData(0, 3, 0, 3)]
    [InlineData(null, 0, 1, 0)]
    [InlineData(1200, 0, 500, 0)]
    [InlineData(0, 600, 0, 500)]
    public void Each_sync_moves_towards_spec_replicas_at_most_a_burst_of_500_at_a_time(int? replicas, int running, int creates, int deletes)
    {
        var plan = ReplicaSetSync.Plan(Frontend(replicas), Running(running), T0);

        Assert.Equal((creates, deletes), (plan.Create, plan.Delete.Count));
    }

    [Fact]
    public void Scaling_down_deletes_the_pods_that_go_first_in_Kubernetes_order()
    {
        V1Pod[] pods =
        [
            Pod("old-ready", createdAgo: 7200, readyAgo: 7000),
            Pod("not-ready", ready: false),
            Pod("unscheduled", node: null, phase: "Pending", ready: false),
            Pod("pending", phase: "Pending", ready: false),
        ];

        var plan = ReplicaSetSync.Plan(Frontend(replicas: 1), pods, T0);

        Assert.Equal("unscheduled,pending,not-ready", Names(plan.Delete));
    }

    [Fact]
    public void Related_pods_of_sibling_ReplicaSets_rank_pods_by_how_crowded_their_node_is()
    {
        V1Pod[] pods = [Pod("on-a", node: "a"), Pod("on-b", node: "b")];
        V1Pod[] related = [.. pods, Pod("sibling-1", owner: "other-uid", node: "b"), Pod("sibling-2", owner: "other-uid", node: "b")];

        Assert.Equal("on-b", Names(ReplicaSetSync.Plan(Frontend(replicas: 1), pods, T0, related).Delete));
        Assert.Equal("a", Assert.Single(ReplicaSetSync.Plan(Frontend(replicas: 2), [.. pods, Pod("crowd", node: "a")], T0).Delete).Spec.NodeName);
    }

    [Fact]
    public void Status_counts_replicas_fully_labeled_ready_and_available_pods_and_the_observed_generation()
    {
        V1Pod[] active =
        [
            Pod("available"),
            Pod("ready-just-now", readyAgo: 2),
            Pod("not-ready", ready: false),
            Pod("partly-labeled", labels: new Dictionary<string, string> { ["tier"] = "frontend" }),
        ];

        var (status, recheckAt) = ReplicaSetSync.Status(Frontend(replicas: 4, minReadySeconds: 10), active, failure: null, T0);

        Assert.Equal((4, 3, 3, 2, 2L), (status.Replicas, status.FullyLabeledReplicas!.Value, status.ReadyReplicas!.Value, status.AvailableReplicas!.Value, status.ObservedGeneration!.Value));
        Assert.Null(status.Conditions);

        // The pod ready for 2 of its 10 seconds becomes available 8 s from now: the controller looks again then.
        Assert.Equal(T0.AddSeconds(8), recheckAt);
    }

    [Fact]
    public void Without_minReadySeconds_a_ready_pod_is_available_at_once_and_nothing_is_rechecked()
    {
        var (status, recheckAt) = ReplicaSetSync.Status(Frontend(replicas: 1), [Pod("fresh", readyAgo: 0)], failure: null, T0);

        Assert.Equal(1, status.AvailableReplicas);
        Assert.Null(recheckAt);
    }

    [Fact]
    public void A_refused_creation_shows_ReplicaFailure_FailedCreate_until_a_sync_succeeds()
    {
        const string Refused = "pods \"frontend-x\" is forbidden: exceeded quota";
        var rs = Frontend(replicas: 3);

        var (failing, _) = ReplicaSetSync.Status(rs, [Pod("a")], Refused, T0);

        var condition = Assert.Single(failing.Conditions);
        Assert.Equal((ReplicaSetSync.ReplicaFailure, "True", "FailedCreate", Refused), (condition.Type, condition.Status, condition.Reason, condition.Message));
        Assert.Equal(T0.UtcDateTime, condition.LastTransitionTime);

        // A second failure keeps the first condition as it was (SetCondition only when there is none).
        rs.Status = failing;
        var (again, _) = ReplicaSetSync.Status(rs, [Pod("a")], "another error", T0.AddSeconds(10));
        Assert.Equal((Refused, T0.UtcDateTime), (Assert.Single(again.Conditions).Message, again.Conditions[0].LastTransitionTime));

        // The first sync without an error removes it.
        rs.Status = again;
        var (healed, _) = ReplicaSetSync.Status(rs, [Pod("a"), Pod("b"), Pod("c")], failure: null, T0.AddSeconds(20));
        Assert.Null(healed.Conditions);
    }

    [Fact]
    public void A_refused_deletion_shows_ReplicaFailure_FailedDelete()
    {
        var (status, _) = ReplicaSetSync.Status(Frontend(replicas: 1), Running(2), "etcd is down", T0);

        Assert.Equal("FailedDelete", Assert.Single(status.Conditions).Reason);
    }

    [Fact]
    public void Status_keeps_conditions_it_does_not_own()
    {
        var other = new V1ReplicaSetCondition { Type = "Custom", Status = "True" };
        var rs = Frontend(replicas: 1, status: new V1ReplicaSetStatus { Replicas = 1, Conditions = [other] });

        var (status, _) = ReplicaSetSync.Status(rs, [Pod("a")], failure: null, T0);

        Assert.Equal("Custom", Assert.Single(status.Conditions).Type);
        Assert.Equal(1, rs.Status.Replicas);
        Assert.Same(other, rs.Status.Conditions.Single());
    }

    [Fact]
    public void A_selector_that_cannot_be_read_selects_nothing()
    {
        var rs = Frontend(replicas: 1);
        rs.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "Sometimes" }] };

        var plan = ReplicaSetSync.Plan(rs, [Pod("orphan", owner: null)], T0);

        Assert.Empty(plan.Adopt);
        Assert.Equal(1, plan.Create);
    }

    [Fact]
    public void Pods_created_within_the_same_power_of_two_of_age_go_by_uid_whatever_order_they_are_listed_in()
    {
        // 100 to 106 s ago all fall in [2^36, 2^37) ns: the same rank, so their uids decide.
        IReadOnlyList<V1Pod> pods = [.. Enumerable.Range(0, 7).Select(i => Pod($"p{i}", createdAgo: 100 + i))];
        var first = ReplicaSetSync.Plan(Frontend(replicas: 3), pods, T0);
        var second = ReplicaSetSync.Plan(Frontend(replicas: 3), [.. pods.Reverse()], T0);

        Assert.Equal("p0,p1,p2,p3", Names(first.Delete));
        Assert.Equal(Names(first.Delete), Names(second.Delete));
    }
}
