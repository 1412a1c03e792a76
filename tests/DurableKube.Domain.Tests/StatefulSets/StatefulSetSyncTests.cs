using DurableKube.Domain.Serialization;
using DurableKube.Domain.StatefulSets;
using k8s.Models;
using static DurableKube.Domain.Tests.StatefulSets.StatefulSetFixtures;

namespace DurableKube.Domain.Tests.StatefulSets;

public class StatefulSetSyncTests
{
    private const string O = StatefulSetSync.OrderedReady;
    private const string P = StatefulSetSync.Parallel;
    private const string R = StatefulSetSync.RollingUpdate;
    private const string D = StatefulSetSync.OnDelete;

    /// <summary>
    /// Pods as <c>&lt;ordinal&gt;[c]&lt;state&gt;</c>: <c>c</c> for a pod of the current (old) revision, else of the update
    /// revision; state R Running and Ready, N Running not Ready, P Pending, F Failed, S Succeeded, T terminating.
    /// </summary>
    private static List<V1Pod> Pods(string spec, RevisionPlan revisions) =>
        [.. spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token =>
        {
            var digits = new string([.. token.TakeWhile(char.IsDigit)]);
            var rest = token[digits.Length..];
            var current = rest.StartsWith('c');
            var state = rest[^1];
            return Pod(
                int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture),
                current ? revisions.Current.Metadata.Name : revisions.Update.Metadata.Name,
                phase: state switch { 'P' => "Pending", 'F' => "Failed", 'S' => "Succeeded", _ => "Running" },
                ready: state is 'R' or 'T',
                deleting: state == 'T');
        })];

    [Theory]
    // OrderedReady: one pod at a time, in ordinal order, each once the ones before are Running and Ready.
    [InlineData(O, R, 3, 0, "", "web-0", "")]
    [InlineData(O, R, 3, 0, "0R", "web-1", "")]
    [InlineData(O, R, 3, 0, "0P", "", "")]
    [InlineData(O, R, 3, 0, "0N", "", "")]
    [InlineData(O, R, 3, 0, "0R 1T", "", "")]
    [InlineData(O, R, 3, 0, "0R 2R", "web-1", "")]
    [InlineData(O, R, 3, 0, "0R 1R 2R", "", "")]
    // A failed or succeeded pod is deleted, and made again under its name once it is gone.
    [InlineData(O, R, 3, 0, "0R 1F 2R", "", "web-1")]
    [InlineData(O, R, 3, 0, "0S", "", "web-0")]
    // Scale down: the highest ordinal first, one at a time, each once the one before is gone; never while a replica is unhealthy.
    [InlineData(O, R, 1, 0, "0R 1R 2R", "", "web-2")]
    [InlineData(O, R, 1, 0, "0R 1R 2T", "", "")]
    [InlineData(O, R, 1, 0, "0R 1R", "", "web-1")]
    [InlineData(O, R, 2, 0, "0R 1N 2R", "", "")]
    [InlineData(O, R, 0, 0, "0R", "", "web-0")]
    // Parallel: everything at once.
    [InlineData(P, R, 3, 0, "", "web-0,web-1,web-2", "")]
    [InlineData(P, R, 3, 0, "0P", "web-1,web-2", "")]
    [InlineData(P, R, 1, 0, "0R 1R 2R 3N", "", "web-3,web-2,web-1")]
    [InlineData(P, R, 2, 0, "0F 1P", "", "web-0")]
    [InlineData(P, R, 1, 0, "0R 1T 2R", "", "web-2")]
    // RollingUpdate: the highest ordinal not of the update revision goes first, each after the one above is healthy.
    [InlineData(O, R, 3, 0, "0cR 1cR 2cR", "", "web-2")]
    [InlineData(O, R, 3, 0, "0cR 1cR 2R", "", "web-1")]
    [InlineData(O, R, 3, 0, "0cR 1cR 2N", "", "")]
    [InlineData(O, R, 3, 0, "0cR 1cR", "web-2", "")]
    [InlineData(P, R, 3, 0, "0cR 1cR 2cR", "", "web-2")]
    [InlineData(P, R, 3, 0, "0cR 1cR 2N", "", "")]
    // ... down to the partition only.
    [InlineData(O, R, 3, 2, "0cR 1cR 2R", "", "")]
    [InlineData(O, R, 3, 1, "0cR 1cR 2cR", "", "web-2")]
    [InlineData(O, R, 3, 1, "0cR 1cR 2R", "", "web-1")]
    [InlineData(O, R, 3, 3, "0cR 1cR 2cR", "", "")]
    // OnDelete: pods are not replaced for a new revision.
    [InlineData(O, D, 3, 0, "0cR 1cR 2cR", "", "")]
    [InlineData(O, D, 3, 0, "0cR 2cR", "web-1", "")]
    public void One_sync_creates_and_deletes_as_Kubernetes_does(string policy, string strategy, int replicas, int partition, string pods, string creates, string deletes)
    {
        var sts = Sts(replicas, policy, strategy, partition, image: "nginx:2");
        var revisions = Revisions(sts, currentImage: "nginx:1");

        var plan = StatefulSetSync.Plan(sts, Pods(pods, revisions), revisions, T0);

        Assert.Equal(creates, Names(plan.Create));
        Assert.Equal(deletes, Names(plan.Delete));
    }

    [Theory]
    [InlineData(5, 2, "", "web-5", "")]
    [InlineData(1, 2, "0R 1R", "web-2", "")]
    [InlineData(1, 2, "0R 1R 2R", "", "web-0")]
    [InlineData(0, 2, "3R 0R 1R", "", "web-3")]
    public void Ordinals_start_at_spec_ordinals_start_and_pods_outside_them_are_condemned(int start, int replicas, string pods, string creates, string deletes)
    {
        var sts = Sts(replicas, start: start);
        var revisions = Revisions(sts);

        var plan = StatefulSetSync.Plan(sts, Pods(pods, revisions), revisions, T0);

        Assert.Equal((creates, deletes), (Names(plan.Create), Names(plan.Delete)));
    }

    [Theory]
    // maxUnavailable, partition, pods, deletes: up to maxUnavailable pods are down at once, from the highest ordinal.
    [InlineData("2", 0, "0cR 1cR 2cR 3cR", "web-3,web-2")]
    [InlineData("2", 0, "0cR 1cR 2cR 3R", "web-2,web-1")]
    [InlineData("2", 0, "0cR 1cR 2cR 3N", "web-2")]
    [InlineData("2", 0, "0cR 1cR 2T 3N", "")]
    [InlineData("2", 3, "0cR 1cR 2cR 3cR", "web-3")]
    [InlineData("50%", 0, "0cR 1cR 2cR 3cR", "web-3,web-2")]
    [InlineData("10%", 0, "0cR 1cR 2cR 3cR", "web-3")]
    public void With_maxUnavailable_a_Parallel_rolling_update_replaces_that_many_pods_at_once(string maxUnavailable, int partition, string pods, string deletes)
    {
        var sts = Sts(4, P, R, partition, image: "nginx:2");
        sts.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = maxUnavailable.EndsWith('%') ? (IntOrString)maxUnavailable : (IntOrString)int.Parse(maxUnavailable, System.Globalization.CultureInfo.InvariantCulture);
        var revisions = Revisions(sts, currentImage: "nginx:1");

        var plan = StatefulSetSync.Plan(sts, Pods(pods, revisions), revisions, T0);

        Assert.Equal(deletes, Names(plan.Delete));
    }

    [Fact]
    public void A_new_pod_has_its_name_identity_labels_hostname_subdomain_revision_and_controller()
    {
        var sts = Sts(2);
        var revisions = Revisions(sts);

        var pod = Assert.Single(StatefulSetSync.Plan(sts, [Pod(0, revisions.Update.Metadata.Name)], revisions, T0).Create);

        Assert.Equal("web-1", pod.Metadata.Name);
        Assert.Null(pod.Metadata.GenerateName);
        Assert.Equal("default", pod.Metadata.NamespaceProperty);
        Assert.Equal("nginx", pod.Metadata.Labels["app"]);
        Assert.Equal("web-1", pod.Metadata.Labels[StatefulSetIdentity.PodNameLabel]);
        Assert.Equal("1", pod.Metadata.Labels[StatefulSetIdentity.PodIndexLabel]);
        Assert.Equal(revisions.Update.Metadata.Name, pod.Metadata.Labels[StatefulSetIdentity.RevisionLabel]);
        Assert.Equal(("web-1", "nginx"), (pod.Spec.Hostname, pod.Spec.Subdomain));
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "StatefulSet", "web", Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }

    [Theory]
    [InlineData(R, 2, 0, "nginx:1")]
    [InlineData(R, 2, 1, "nginx:1")]
    [InlineData(R, 2, 2, "nginx:2")]
    [InlineData(R, 0, 0, "nginx:2")]
    [InlineData(D, 0, 0, "nginx:2")]
    public void A_pod_below_the_partition_is_made_of_the_current_revision_and_others_of_the_update_revision(string strategy, int partition, int ordinal, string image)
    {
        var sts = Sts(3, StatefulSetSync.Parallel, strategy, partition, image: "nginx:2");
        var revisions = Revisions(sts, currentImage: "nginx:1");

        var pod = StatefulSetSync.Plan(sts, [], revisions, T0).Create.Single(p => p.Metadata.Name == $"web-{ordinal}");

        Assert.Equal(image, pod.Spec.Containers[0].Image);
        var revision = image == "nginx:1" ? revisions.Current : revisions.Update;
        Assert.Equal(revision.Metadata.Name, pod.Metadata.Labels[StatefulSetIdentity.RevisionLabel]);
    }

    [Fact]
    public void Claiming_adopts_orphans_of_its_ordinals_and_releases_pods_that_stop_matching()
    {
        var sts = Sts(3);
        var revisions = Revisions(sts);
        var rev = revisions.Update.Metadata.Name;
        var orphan = Pod(0, rev, owned: false);
        var otherSet = Pod(1, rev, owned: false, setName: "db");
        var notOrdinal = Pod(1, rev, owned: false);
        notOrdinal.Metadata.Name = "web-one";
        var relabelled = Pod(1, rev);
        relabelled.Metadata.Labels["app"] = "debug";
        var foreign = Pod(2, rev);
        foreign.Metadata.OwnerReferences[0].Uid = "someone-else";

        var plan = StatefulSetSync.Plan(sts, [orphan, otherSet, notOrdinal, relabelled, foreign], revisions, T0);

        Assert.Equal("web-0", Names(plan.Adopt));
        Assert.Equal("web-1", Names(plan.Release));
        Assert.Equal("web-1", Names(plan.Create));
    }

    [Fact]
    public void An_adopted_pod_without_its_identity_labels_gets_them()
    {
        var sts = Sts(1);
        var revisions = Revisions(sts);
        var orphan = Pod(0, revisions.Update.Metadata.Name, owned: false);
        orphan.Metadata.Labels.Remove(StatefulSetIdentity.PodNameLabel);

        var plan = StatefulSetSync.Plan(sts, [orphan], revisions, T0);

        Assert.Equal(("web-0", "web-0"), (Names(plan.Adopt), Names(plan.Relabel)));
    }

    [Fact]
    public void A_set_being_deleted_neither_creates_nor_deletes_but_keeps_its_status()
    {
        var sts = Sts(3);
        sts.Metadata.DeletionTimestamp = KubeTime.Truncate(T0);
        var revisions = Revisions(sts);

        var plan = StatefulSetSync.Plan(sts, [Pod(0, revisions.Update.Metadata.Name, phase: "Failed")], revisions, T0);

        Assert.Empty(plan.Create);
        Assert.Empty(plan.Delete);
        Assert.Equal(1, plan.Status.Replicas);
    }

    [Fact]
    public void With_minReadySeconds_the_next_ordinal_waits_until_the_one_before_is_available_and_the_sync_says_when()
    {
        var sts = Sts(2, minReadySeconds: 10);
        var revisions = Revisions(sts);
        var pod = Pod(0, revisions.Update.Metadata.Name, readySince: T0.AddSeconds(-4));

        var early = StatefulSetSync.Plan(sts, [pod], revisions, T0);
        var later = StatefulSetSync.Plan(sts, [pod], revisions, T0.AddSeconds(6));

        Assert.Empty(early.Create);
        Assert.Equal(T0.AddSeconds(6), early.RecheckAt);
        Assert.Equal((0, 1), (early.Status.AvailableReplicas, early.Status.ReadyReplicas));
        Assert.Equal("web-1", Names(later.Create));
        Assert.Equal(1, later.Status.AvailableReplicas);
    }

    [Theory]
    // pods, replicas, ready, current, updated, currentRevision is the update revision
    [InlineData("0cR 1cR 2cR", 3, 3, 3, 0, false)]
    [InlineData("0cR 1cR 2R", 3, 3, 2, 1, false)]
    [InlineData("0cR 1cR 2T", 3, 3, 2, 0, false)]
    [InlineData("0R 1R 2N", 3, 2, 0, 3, false)]
    [InlineData("0R 1R 2R", 3, 3, 3, 3, true)]
    [InlineData("0R 1R 2R 3T", 4, 4, 0, 3, false)]
    public void The_status_counts_pods_by_readiness_and_revision_and_a_finished_rolling_update_makes_the_update_revision_current(
        string pods, int replicas, int ready, int current, int updated, bool completed)
    {
        var sts = Sts(3, image: "nginx:2");
        sts.Metadata.Generation = 4;
        var revisions = Revisions(sts, currentImage: "nginx:1");

        var status = StatefulSetSync.Plan(sts, Pods(pods, revisions), revisions, T0).Status;

        Assert.Equal((replicas, ready, current, updated), (status.Replicas, status.ReadyReplicas ?? 0, status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));
        Assert.Equal(completed ? revisions.Update.Metadata.Name : revisions.Current.Metadata.Name, status.CurrentRevision);
        Assert.Equal(revisions.Update.Metadata.Name, status.UpdateRevision);
        Assert.Equal((4L, 0), (status.ObservedGeneration ?? 0, status.CollisionCount ?? -1));
    }

    [Fact]
    public void OnDelete_never_makes_the_update_revision_current()
    {
        var sts = Sts(2, strategy: D, image: "nginx:2");
        var revisions = Revisions(sts, currentImage: "nginx:1");

        var status = StatefulSetSync.Plan(sts, Pods("0R 1R", revisions), revisions, T0).Status;

        Assert.Equal((revisions.Current.Metadata.Name, 2), (status.CurrentRevision, status.UpdatedReplicas ?? 0));
    }
}
