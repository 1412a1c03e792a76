using DurableKube.Domain.Deployments;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Deployments;

public class DeploymentSyncTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static V1Deployment Deployment(int replicas = 3, string image = "nginx:1.16.1", Action<V1DeploymentSpec>? change = null, V1DeploymentStatus? status = null)
    {
        var deployment = DeploymentKindTests.Deployment(s =>
        {
            s.Replicas = replicas;
            s.Template.Spec.Containers[0].Image = image;
            change?.Invoke(s);
        });
        new DeploymentStrategy().Default(deployment);
        deployment.Metadata.Uid = "deploy-uid";
        deployment.Metadata.Generation = 2;
        deployment.Metadata.CreationTimestamp = KubeTime.Truncate(T0.AddHours(-1));
        deployment.Status = status ?? new V1DeploymentStatus { ObservedGeneration = 1 };
        return deployment;
    }

    /// <summary>A ReplicaSet of the Deployment as the controller made it for <paramref name="image"/>.</summary>
    private static V1ReplicaSet ReplicaSet(V1Deployment deployment, string image, int replicas, int available, long revision, int createdMinute, int? maxReplicas = null, bool owned = true)
    {
        var template = KubeJson.Clone(deployment.Spec.Template);
        template.Spec.Containers[0].Image = image;
        var hash = PodTemplateHash.Compute(template, null);
        template.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel] = hash;
        return new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"nginx-deployment-{hash}",
                NamespaceProperty = "default",
                Uid = $"rs-{image}",
                Generation = 1,
                CreationTimestamp = KubeTime.Truncate(T0.AddMinutes(createdMinute)),
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string>
                {
                    [DeploymentAnnotations.Revision] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [DeploymentAnnotations.DesiredReplicas] = DeploymentSync.Replicas(deployment).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [DeploymentAnnotations.MaxReplicas] = (maxReplicas ?? DeploymentSync.Replicas(deployment) + RollingUpdateBounds.MaxSurge(deployment)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                OwnerReferences = owned ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "nginx-deployment", Uid = "deploy-uid", Controller = true }] : null,
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "nginx", [DeploymentAnnotations.PodTemplateHashLabel] = hash } },
                Template = template,
            },
            Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = available, AvailableReplicas = available, ObservedGeneration = 1 },
        };
    }

    private static int? ReplicasOf(DeploymentPlan plan, V1ReplicaSet rs) =>
        plan.Update.FirstOrDefault(u => u.Metadata.Name == rs.Metadata.Name)?.Spec.Replicas;

    private static V1DeploymentCondition Progressing(DeploymentPlan plan) =>
        DeploymentConditions.Get(plan.Status, DeploymentConditions.Progressing)!;

    [Fact]
    public void A_new_Deployment_creates_its_first_ReplicaSet_named_by_the_template_hash_with_revision_1()
    {
        var deployment = Deployment();
        deployment.Metadata.Annotations = new Dictionary<string, string>
        {
            [DeploymentAnnotations.ChangeCause] = "kubectl create",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
        };

        var plan = DeploymentSync.Plan(deployment, [], null, T0);

        var rs = plan.Create!;
        var hash = PodTemplateHash.Compute(deployment.Spec.Template, null);
        Assert.Equal($"nginx-deployment-{hash}", rs.Metadata.Name);
        Assert.Equal(3, rs.Spec.Replicas);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels[DeploymentAnnotations.PodTemplateHashLabel]);
        Assert.Equal(hash, rs.Spec.Template.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel]);
        Assert.Equal(hash, rs.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel]);
        Assert.Equal(("1", "3", "4", "kubectl create"), (rs.Metadata.Annotations[DeploymentAnnotations.Revision], rs.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas], rs.Metadata.Annotations[DeploymentAnnotations.MaxReplicas], rs.Metadata.Annotations[DeploymentAnnotations.ChangeCause]));
        Assert.DoesNotContain("kubectl.kubernetes.io/last-applied-configuration", rs.Metadata.Annotations.Keys);
        Assert.Equal(("Deployment", "deploy-uid", true), (rs.Metadata.OwnerReferences[0].Kind, rs.Metadata.OwnerReferences[0].Uid, rs.Metadata.OwnerReferences[0].Controller!.Value));
        Assert.Equal("1", plan.Revision);
        Assert.Equal(("True", "NewReplicaSetCreated", $"Created new replica set \"{rs.Metadata.Name}\""), (Progressing(plan).Status, Progressing(plan).Reason, Progressing(plan).Message));
        var available = DeploymentConditions.Get(plan.Status, DeploymentConditions.Available)!;
        Assert.Equal(("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."), (available.Status, available.Reason, available.Message));
        Assert.Equal(2, plan.Status.ObservedGeneration);
    }

    [Fact]
    public void A_changed_template_creates_a_new_ReplicaSet_within_the_surge_with_the_next_revision()
    {
        var deployment = Deployment(replicas: 3, image: "nginx:1.16.1");
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);

        var plan = DeploymentSync.Plan(deployment, [old], null, T0);

        Assert.Equal(1, plan.Create!.Spec.Replicas);
        Assert.Equal("2", plan.Create.Metadata.Annotations[DeploymentAnnotations.Revision]);
        Assert.Null(ReplicasOf(plan, old));
    }

    // replicas 3 with 25%/25%: surge 1, unavailable 0. The old ReplicaSet goes down only as new pods become available.
    [Theory]
    [InlineData(3, 3, 1, 0, 3, 1)]
    [InlineData(3, 3, 1, 1, 2, 1)]
    [InlineData(2, 2, 2, 1, 2, 2)]
    [InlineData(2, 2, 2, 2, 1, 2)]
    [InlineData(1, 1, 3, 3, 0, 3)]
    public void A_rolling_update_scales_the_new_ReplicaSet_up_within_the_surge_and_the_old_down_within_max_unavailable(
        int oldReplicas, int oldAvailable, int newReplicas, int newAvailable, int expectedOld, int expectedNew)
    {
        var deployment = Deployment(replicas: 3, image: "nginx:1.16.1");
        var old = ReplicaSet(deployment, "nginx:1.14.2", oldReplicas, oldAvailable, revision: 1, createdMinute: 0);
        var current = ReplicaSet(deployment, "nginx:1.16.1", newReplicas, newAvailable, revision: 2, createdMinute: 1);

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        Assert.Null(plan.Create);
        Assert.Equal(expectedOld, ReplicasOf(plan, old) ?? oldReplicas);
        Assert.Equal(expectedNew, ReplicasOf(plan, current) ?? newReplicas);
    }

    [Theory]
    [InlineData("25%", "25%", 10, 3, 2)]
    [InlineData("25%", "25%", 3, 1, 0)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0", "25%", 3, 0, 1)]
    [InlineData("0%", "10%", 4, 0, 1)]
    [InlineData("2", "50%", 3, 2, 1)]
    [InlineData("30%", "30%", 10, 3, 3)]
    [InlineData("1", "0", 5, 1, 0)]
    public void Max_surge_rounds_up_max_unavailable_rounds_down_and_both_zero_allow_one_unavailable(string surge, string unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        Assert.Equal((expectedSurge, expectedUnavailable), RollingUpdateBounds.Resolve(surge, unavailable, replicas));
    }

    [Fact]
    public void Max_unavailable_is_at_most_the_replicas_and_0_for_Recreate()
    {
        Assert.Equal(2, RollingUpdateBounds.MaxUnavailable(Deployment(replicas: 2, change: s => s.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 5 } })));
        Assert.Equal(0, RollingUpdateBounds.MaxUnavailable(Deployment(change: s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate" })));
        Assert.Equal(0, RollingUpdateBounds.MaxSurge(Deployment(change: s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate" })));
    }

    [Fact]
    public void Unhealthy_old_replicas_are_scaled_down_first_even_when_nothing_is_available()
    {
        // replicas 4, 25%: surge 1, unavailable 1, so min available 3. The old ReplicaSet has 4 pods of which 1 is available.
        var deployment = Deployment(replicas: 4);
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 4, available: 1, revision: 1, createdMinute: 0);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 1, available: 0, revision: 2, createdMinute: 1);

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        // maxScaledDown = 5 - 3 - 1 = 1: one unhealthy replica goes.
        Assert.Equal(3, ReplicasOf(plan, old));
    }

    [Fact]
    public void A_complete_rollout_says_NewReplicaSetAvailable_and_Available()
    {
        var deployment = Deployment(status: new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 3, UpdatedReplicas = 3, ReadyReplicas = 2, AvailableReplicas = 2,
            Conditions = [DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, "x", T0.AddMinutes(-1))],
        });
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 0, available: 0, revision: 1, createdMinute: 0);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 3, available: 3, revision: 2, createdMinute: 1);

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        var progressing = Progressing(plan);
        Assert.Equal(("True", "NewReplicaSetAvailable", $"ReplicaSet \"{current.Metadata.Name}\" has successfully progressed."), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Equal(KubeTime.Truncate(T0.AddMinutes(-1)), progressing.LastTransitionTime);
        var available = DeploymentConditions.Get(plan.Status, DeploymentConditions.Available)!;
        Assert.Equal(("True", "MinimumReplicasAvailable", "Deployment has minimum availability."), (available.Status, available.Reason, available.Message));
        Assert.Equal((3, 3, 3, 3, 0), (plan.Status.Replicas, plan.Status.UpdatedReplicas, plan.Status.ReadyReplicas, plan.Status.AvailableReplicas, plan.Status.UnavailableReplicas));
        Assert.Null(plan.RequeueAt);
    }

    [Fact]
    public void Progress_refreshes_ReplicaSetUpdated_and_asks_to_look_again_at_the_deadline()
    {
        var deployment = Deployment(status: new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 4, UpdatedReplicas = 1, ReadyReplicas = 3, AvailableReplicas = 3,
            Conditions = [DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetCreated, "x", T0.AddMinutes(-1))],
        });
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 1, available: 1, revision: 2, createdMinute: 1);

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        var progressing = Progressing(plan);
        Assert.Equal(("ReplicaSetUpdated", $"ReplicaSet \"{current.Metadata.Name}\" is progressing."), (progressing.Reason, progressing.Message));
        Assert.Equal(KubeTime.Truncate(T0.AddMinutes(-1)), progressing.LastTransitionTime);
        Assert.Equal(KubeTime.Truncate(T0), progressing.LastUpdateTime);
        Assert.Equal(T0.AddSeconds(601), plan.RequeueAt);
    }

    [Fact]
    public void No_progress_for_progressDeadlineSeconds_says_ProgressDeadlineExceeded()
    {
        var deployment = Deployment(status: new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 4, UpdatedReplicas = 1, ReadyReplicas = 3, AvailableReplicas = 3,
            Conditions = [DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, "x", T0.AddSeconds(-601))],
        });
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 1, available: 0, revision: 2, createdMinute: 1);
        current.Status.ReadyReplicas = 0;

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        var progressing = Progressing(plan);
        Assert.Equal(("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{current.Metadata.Name}\" has timed out progressing."), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Null(plan.RequeueAt);
    }

    [Fact]
    public void Recreate_scales_old_ReplicaSets_to_0_waits_for_their_pods_then_creates_the_new_one_at_full_size()
    {
        var deployment = Deployment(change: s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate" });
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);

        var first = DeploymentSync.Plan(deployment, [old], [], T0);
        Assert.Equal(0, ReplicasOf(first, old));
        Assert.Null(first.Create);

        old.Spec.Replicas = 0;
        old.Status = new V1ReplicaSetStatus { Replicas = 0, ObservedGeneration = 1 };
        var stopping = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "old-pod", DeletionTimestamp = KubeTime.Truncate(T0), OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Uid = old.Metadata.Uid, Controller = true }] },
            Status = new V1PodStatus { Phase = "Running" },
        };
        var waiting = DeploymentSync.Plan(deployment, [old], [stopping], T0);
        Assert.Null(waiting.Create);
        Assert.Equal(T0 + DeploymentSync.OldPodsPoll, waiting.RequeueAt);

        var last = DeploymentSync.Plan(deployment, [old], [], T0);
        Assert.Equal(3, last.Create!.Spec.Replicas);
        Assert.Equal("2", last.Revision);
    }

    [Fact]
    public void A_paused_Deployment_makes_no_new_ReplicaSet_but_still_scales_and_says_DeploymentPaused()
    {
        var deployment = Deployment(replicas: 5, change: s => s.Paused = true);
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);
        old.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas] = "3";

        var plan = DeploymentSync.Plan(deployment, [old], null, T0);

        Assert.Null(plan.Create);
        Assert.Equal(5, ReplicasOf(plan, old));
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (Progressing(plan).Status, Progressing(plan).Reason, Progressing(plan).Message));
    }

    [Fact]
    public void A_resumed_Deployment_says_DeploymentResumed_and_rolls_on()
    {
        var deployment = Deployment(status: new V1DeploymentStatus
        {
            ObservedGeneration = 1, Replicas = 3, ReadyReplicas = 3, AvailableReplicas = 3,
            Conditions = [DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", T0.AddMinutes(-5))],
        });
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0);

        var plan = DeploymentSync.Plan(deployment, [old], null, T0);

        Assert.NotNull(plan.Create);
        Assert.Equal("True", Progressing(plan).Status);
        Assert.Equal("NewReplicaSetCreated", Progressing(plan).Reason);
    }

    [Fact]
    public void A_resumed_Deployment_with_nothing_to_roll_says_DeploymentResumed()
    {
        var deployment = Deployment(status: new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 3, UpdatedReplicas = 3, ReadyReplicas = 3, AvailableReplicas = 3,
            Conditions = [DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", T0.AddMinutes(-5))],
        });
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 3, available: 3, revision: 1, createdMinute: 0);
        current.Status.Replicas = 2;

        var plan = DeploymentSync.Plan(deployment, [current], null, T0);

        Assert.Equal(("Unknown", "DeploymentResumed", "Deployment is resumed"), (Progressing(plan).Status, Progressing(plan).Reason, Progressing(plan).Message));
    }

    [Fact]
    public void Scaling_mid_rollout_scales_new_and_old_ReplicaSets_in_proportion()
    {
        // Kubernetes' example: 10 replicas, surge 3, a rollout in flight with 8 old and 5 new; scaled to 15 (surge 4):
        // 19 allowed, 6 to add, shared 4 to the old (8*19/13=11.7) and 2 to the new.
        var deployment = Deployment(replicas: 15);
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 8, available: 8, revision: 1, createdMinute: 0, maxReplicas: 13);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 5, available: 0, revision: 2, createdMinute: 1, maxReplicas: 13);
        old.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas] = "10";
        current.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas] = "10";

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        Assert.Equal((12, 7), (ReplicasOf(plan, old), ReplicasOf(plan, current)));
        Assert.All(plan.Update, rs => Assert.Equal(("15", "19"), (rs.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas], rs.Metadata.Annotations[DeploymentAnnotations.MaxReplicas])));
        Assert.Null(plan.Create);
    }

    [Fact]
    public void Scaling_down_to_0_mid_rollout_scales_every_ReplicaSet_to_0()
    {
        var deployment = Deployment(replicas: 0);
        var old = ReplicaSet(deployment, "nginx:1.14.2", replicas: 2, available: 2, revision: 1, createdMinute: 0, maxReplicas: 4);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 2, available: 0, revision: 2, createdMinute: 1, maxReplicas: 4);
        old.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas] = "3";
        current.Metadata.Annotations[DeploymentAnnotations.DesiredReplicas] = "3";

        var plan = DeploymentSync.Plan(deployment, [old, current], null, T0);

        Assert.Equal((0, 0), (ReplicasOf(plan, old), ReplicasOf(plan, current)));
    }

    [Fact]
    public void A_template_back_to_an_old_revision_makes_that_ReplicaSet_new_again_with_the_next_revision_and_its_history()
    {
        // kubectl rollout undo: the Deployment's template is revision 1's again.
        var deployment = Deployment(image: "nginx:1.14.2");
        var first = ReplicaSet(deployment, "nginx:1.14.2", replicas: 0, available: 0, revision: 1, createdMinute: 0);
        var second = ReplicaSet(deployment, "nginx:1.16.1", replicas: 3, available: 3, revision: 2, createdMinute: 1);

        var plan = DeploymentSync.Plan(deployment, [first, second], null, T0);

        Assert.Null(plan.Create);
        var again = plan.Update.Single(rs => rs.Metadata.Name == first.Metadata.Name);
        Assert.Equal(("3", "1", 1), (again.Metadata.Annotations[DeploymentAnnotations.Revision], again.Metadata.Annotations[DeploymentAnnotations.RevisionHistory], again.Spec.Replicas));
        Assert.Equal("3", plan.Revision);
    }

    [Fact]
    public void Old_ReplicaSets_beyond_the_revision_history_limit_are_deleted_oldest_revision_first_once_complete()
    {
        var deployment = Deployment(change: s => s.RevisionHistoryLimit = 1, status: new V1DeploymentStatus { ObservedGeneration = 2, Replicas = 3, UpdatedReplicas = 3, AvailableReplicas = 3, ReadyReplicas = 3 });
        var r1 = ReplicaSet(deployment, "nginx:1.13", replicas: 0, available: 0, revision: 1, createdMinute: 0);
        var r2 = ReplicaSet(deployment, "nginx:1.14.2", replicas: 0, available: 0, revision: 2, createdMinute: 1);
        var r3 = ReplicaSet(deployment, "nginx:1.15", replicas: 0, available: 0, revision: 3, createdMinute: 2);
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 3, available: 3, revision: 4, createdMinute: 3);
        r2.Status.Replicas = 1; // still has a pod: kept

        var plan = DeploymentSync.Plan(deployment, [r3, current, r2, r1], null, T0);

        Assert.Equal([r1.Metadata.Name], plan.Delete.Select(rs => rs.Metadata.Name));
    }

    [Fact]
    public void An_orphan_ReplicaSet_the_selector_matches_is_adopted_and_one_that_stops_matching_is_released()
    {
        var deployment = Deployment(image: "nginx:1.14.2");
        var orphan = ReplicaSet(deployment, "nginx:1.14.2", replicas: 3, available: 3, revision: 1, createdMinute: 0, owned: false);
        var stray = ReplicaSet(deployment, "nginx:1.13", replicas: 0, available: 0, revision: 0, createdMinute: 0);
        stray.Metadata.Labels = new Dictionary<string, string> { ["app"] = "other" };

        var plan = DeploymentSync.Plan(deployment, [orphan, stray], null, T0);

        Assert.Equal([orphan.Metadata.Name], plan.Adopt.Select(rs => rs.Metadata.Name));
        Assert.Equal([stray.Metadata.Name], plan.Release.Select(rs => rs.Metadata.Name));
        Assert.Null(plan.Create);
        Assert.Equal("NewReplicaSetAvailable", Progressing(plan).Reason);
    }

    [Fact]
    public void A_ReplicaSet_of_the_same_name_is_the_new_one_only_if_controlled_by_the_Deployment_with_its_template()
    {
        var deployment = Deployment(image: "nginx:1.16.1");
        var ours = ReplicaSet(deployment, "nginx:1.16.1", replicas: 1, available: 0, revision: 1, createdMinute: 0);
        var foreign = ReplicaSet(deployment, "nginx:1.16.1", replicas: 1, available: 0, revision: 1, createdMinute: 0, owned: false);
        var otherTemplate = ReplicaSet(deployment, "nginx:1.13", replicas: 1, available: 0, revision: 1, createdMinute: 0);

        Assert.True(DeploymentSync.IsNewReplicaSet(deployment, ours));
        Assert.False(DeploymentSync.IsNewReplicaSet(deployment, foreign));
        Assert.False(DeploymentSync.IsNewReplicaSet(deployment, otherTemplate));
    }

    [Fact]
    public void A_collision_count_gives_the_new_ReplicaSet_another_name()
    {
        var deployment = Deployment(status: new V1DeploymentStatus { CollisionCount = 1 });

        var plan = DeploymentSync.Plan(deployment, [], null, T0);

        Assert.Equal($"nginx-deployment-{PodTemplateHash.Compute(deployment.Spec.Template, 1)}", plan.Create!.Metadata.Name);
        Assert.NotEqual(PodTemplateHash.Compute(deployment.Spec.Template, null), PodTemplateHash.Compute(deployment.Spec.Template, 1));
        Assert.Equal(1, plan.Status.CollisionCount);
    }

    [Fact]
    public void A_ReplicaSets_failure_shows_as_the_Deployments_ReplicaFailure()
    {
        var deployment = Deployment();
        var current = ReplicaSet(deployment, "nginx:1.16.1", replicas: 3, available: 0, revision: 1, createdMinute: 0);
        current.Status.Replicas = 0;
        current.Status.Conditions = [new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "quota", LastTransitionTime = KubeTime.Truncate(T0) }];

        var plan = DeploymentSync.Plan(deployment, [current], null, T0);

        var failure = DeploymentConditions.Get(plan.Status, DeploymentConditions.ReplicaFailure)!;
        Assert.Equal(("True", "FailedCreate", "quota"), (failure.Status, failure.Reason, failure.Message));
    }

    [Fact]
    public void The_pod_template_hash_is_in_the_safe_alphabet_stable_and_blind_to_key_order()
    {
        var a = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } } };
        var b = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } } };

        var hash = PodTemplateHash.Compute(a, null);

        Assert.Equal(hash, PodTemplateHash.Compute(b, null));
        Assert.All(hash, c => Assert.Contains(c, PodTemplateHash.Alphabet));
        Assert.Equal("456789bcdf", PodTemplateHash.SafeEncode("0123456789"));
        b.Metadata.Labels[DeploymentAnnotations.PodTemplateHashLabel] = hash;
        Assert.True(PodTemplateHash.EqualIgnoreHash(a, b));
        b.Metadata.Labels["c"] = "3";
        Assert.False(PodTemplateHash.EqualIgnoreHash(a, b));
    }
}
