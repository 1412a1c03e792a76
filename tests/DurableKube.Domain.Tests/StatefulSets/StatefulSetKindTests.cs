using DurableKube.Domain.Kinds;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.StatefulSets;
using DurableKube.Domain.Strategies;
using k8s.Models;
using static DurableKube.Domain.Tests.StatefulSets.StatefulSetFixtures;

namespace DurableKube.Domain.Tests.StatefulSets;

/// <summary>The StatefulSet and ControllerRevision kinds: defaults, validation, printers, identity.</summary>
public class StatefulSetKindTests
{
    private static readonly StatefulSetStrategy Strategy = new();

    private static V1StatefulSet Bare() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1StatefulSetSpec
        {
            ServiceName = "nginx",
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "nginx" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "nginx" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx", Command = ["sleep", "1"] }] },
            },
        },
    };

    [Fact]
    public void Defaults_are_those_of_apps_v1()
    {
        var sts = Bare();

        Strategy.Default(sts);

        var spec = sts.Spec;
        Assert.Equal((1, "OrderedReady", "RollingUpdate", 0, 10), (spec.Replicas, spec.PodManagementPolicy, spec.UpdateStrategy.Type, spec.UpdateStrategy.RollingUpdate.Partition, spec.RevisionHistoryLimit));
        Assert.Equal(("Retain", "Retain"), (spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted, spec.PersistentVolumeClaimRetentionPolicy.WhenScaled));
        Assert.Equal(("Always", "ClusterFirst"), (spec.Template.Spec.RestartPolicy, spec.Template.Spec.DnsPolicy));
        Assert.Empty(Strategy.Validate(sts));
    }

    [Fact]
    public void OnDelete_gets_no_rollingUpdate_by_default()
    {
        var sts = Bare();
        sts.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };

        Strategy.Default(sts);

        Assert.Null(sts.Spec.UpdateStrategy.RollingUpdate);
        Assert.Empty(Strategy.Validate(sts));
    }

    public static TheoryData<string, Action<V1StatefulSetSpec>, string> Invalid => new()
    {
        { "no selector", s => s.Selector = null, "spec.selector: Required value" },
        { "empty selector", s => s.Selector = new V1LabelSelector(), "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset" },
        { "selector not matching", s => s.Selector.MatchLabels["app"] = "other", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`" },
        { "negative replicas", s => s.Replicas = -1, "spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "negative start", s => s.Ordinals = new V1StatefulSetOrdinals { Start = -2 }, "spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0" },
        { "negative minReadySeconds", s => s.MinReadySeconds = -1, "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0" },
        { "policy", s => s.PodManagementPolicy = "Sideways", "spec.podManagementPolicy: Invalid value: \"Sideways\": must be 'OrderedReady' or 'Parallel'" },
        { "strategy", s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "Sometimes" }, "spec.updateStrategy: Invalid value: {\"type\":\"Sometimes\"}: must be 'RollingUpdate' or 'OnDelete'" },
        {
            "rollingUpdate with OnDelete",
            s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 1 } },
            "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'"
        },
        {
            "negative partition",
            s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = -1 } },
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"
        },
        {
            "zero maxUnavailable",
            s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { MaxUnavailable = 0 } },
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: must be greater than 0"
        },
        {
            "retention",
            s => s.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Keep", WhenScaled = "Retain" },
            "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\""
        },
        { "restartPolicy", s => s.Template.Spec.RestartPolicy = "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"" },
        { "serviceName", s => s.ServiceName = "Not_A_Label", "spec.serviceName: Invalid value: \"Not_A_Label\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        {
            "volumeClaimTemplates",
            s => s.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "www" } }],
            "spec.volumeClaimTemplates: Forbidden: " + StatefulSetValidation.VolumeClaimTemplatesMessage
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_bad_spec_is_refused_with_the_API_servers_message(string why, Action<V1StatefulSetSpec> change, string error)
    {
        var sts = Bare();
        Strategy.Default(sts);
        change(sts.Spec);

        Assert.True(Strategy.Validate(sts).Select(e => e.ToString()).Contains(error), $"{why}: {string.Join(" | ", Strategy.Validate(sts))}");
    }

    public static TheoryData<string, Action<V1StatefulSetSpec>, bool> Updates => new()
    {
        { "replicas", s => s.Replicas = 5, true },
        { "template", s => s.Template.Spec.Containers[0].Image = "nginx:2", true },
        { "updateStrategy", s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" }, true },
        { "minReadySeconds", s => s.MinReadySeconds = 5, true },
        { "ordinals", s => s.Ordinals = new V1StatefulSetOrdinals { Start = 3 }, true },
        { "revisionHistoryLimit", s => s.RevisionHistoryLimit = 2, true },
        { "persistentVolumeClaimRetentionPolicy", s => s.PersistentVolumeClaimRetentionPolicy.WhenScaled = "Delete", true },
        { "serviceName", s => s.ServiceName = "other", false },
        { "podManagementPolicy", s => s.PodManagementPolicy = "Parallel", false },
        { "selector", s => s.Selector.MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "Exists" }], false },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public void An_update_may_change_only_the_fields_the_API_server_allows(string field, Action<V1StatefulSetSpec> change, bool allowed)
    {
        var old = Bare();
        Strategy.Default(old);
        var sts = KubeJson.Clone(old);
        change(sts.Spec);

        var errors = Strategy.ValidateUpdate(sts, old).Select(e => e.ToString()).ToList();

        var forbidden = "spec: Forbidden: " + StatefulSetValidation.ForbiddenUpdateMessage;
        Assert.True(allowed ? !errors.Contains(forbidden) : errors.Contains(forbidden), $"{field}: {string.Join(" | ", errors)}");
    }

    [Theory]
    [InlineData(3, 4, 0, 0, 0, null, "status.readyReplicas: Invalid value: 4: cannot be greater than status.replicas")]
    [InlineData(3, 3, 4, 0, 0, null, "status.currentReplicas: Invalid value: 4: cannot be greater than status.replicas")]
    [InlineData(3, 2, 0, 0, 3, null, "status.availableReplicas: Invalid value: 3: cannot be greater than status.readyReplicas")]
    [InlineData(3, 3, 3, 3, 3, 2, "status.collisionCount: Invalid value: 1: cannot be decreased")]
    [InlineData(3, 3, 3, 3, 3, 1, null)]
    public void A_status_is_checked_as_the_API_server_does(int replicas, int ready, int current, int updated, int available, int? oldCollisions, string? error)
    {
        var old = new V1StatefulSet { Status = new V1StatefulSetStatus { CollisionCount = oldCollisions } };
        var sts = new V1StatefulSet
        {
            Status = new V1StatefulSetStatus { Replicas = replicas, ReadyReplicas = ready, CurrentReplicas = current, UpdatedReplicas = updated, AvailableReplicas = available, CollisionCount = 1 },
        };

        Assert.Equal(error, Strategy.ValidateStatusUpdate(sts, old).Select(e => e.ToString()).SingleOrDefault());
    }

    [Theory]
    [InlineData(true, true, null)]
    [InlineData(false, true, "data: Required value: data is mandatory")]
    [InlineData(true, false, "revision: Invalid value: -1: must be greater than or equal to 0")]
    public void A_ControllerRevision_needs_data_and_a_non_negative_revision(bool data, bool positive, string? error)
    {
        var revision = new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default" },
            Data = data ? new { spec = new { } } : null,
            Revision = positive ? 1 : -1,
        };

        Assert.Equal(error, new ControllerRevisionStrategy().Validate(revision).Select(e => e.ToString()).SingleOrDefault());
    }

    [Fact]
    public void A_ControllerRevisions_data_never_changes_but_its_number_may()
    {
        var strategy = new ControllerRevisionStrategy();
        var old = StatefulSetRevisions.NewRevision(Sts(), 1, 0);
        var renumbered = KubeJson.Clone(old);
        renumbered.Revision = 4;
        var changed = KubeJson.Clone(old);
        changed.Data = StatefulSetRevisions.PatchOf(Sts(image: "nginx:2").Spec.Template);

        Assert.Empty(strategy.ValidateUpdate(renumbered, old));
        Assert.Equal("data", Assert.Single(strategy.ValidateUpdate(changed, old)).Field);
        Assert.False(strategy.TracksGeneration);
    }

    [Fact]
    public void Kubectl_get_sts_shows_ready_of_desired_and_wide_the_containers_and_images()
    {
        var sts = Sts(3);
        sts.Status = new V1StatefulSetStatus { Replicas = 3, ReadyReplicas = 2 };

        var cells = StatefulSetPrinter.Cells(sts, T0.AddMinutes(5));

        Assert.Equal(["Name", "Ready", "Age", "Containers", "Images"], StatefulSetPrinter.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 1, 1], StatefulSetPrinter.Columns.Select(c => c.Priority));
        Assert.Equal(["web", "2/3", "5m", "nginx", "nginx:1"], cells.Select(c => c.ToString()));
    }

    [Fact]
    public void Kubectl_get_controllerrevisions_shows_the_controller_as_kind_group_slash_name_and_the_revision()
    {
        var revision = StatefulSetRevisions.NewRevision(Sts(), 3, 0);
        revision.Metadata.CreationTimestamp = KubeTime.Truncate(T0);
        var orphan = KubeJson.Clone(revision);
        orphan.Metadata.OwnerReferences = null;

        Assert.Equal(["Name", "Controller", "Revision", "Age"], ControllerRevisionPrinter.Columns.Select(c => c.Name));
        Assert.Equal([revision.Metadata.Name, "statefulset.apps/web", "3", "10s"], ControllerRevisionPrinter.Cells(revision, T0.AddSeconds(10)).Select(c => c.ToString()));
        Assert.Equal("<none>", ControllerRevisionPrinter.Cells(orphan, T0)[1]);
    }

    [Fact]
    public void The_kinds_are_registered_with_their_subresources_short_name_and_category()
    {
        var registry = BuiltInKinds.Registry();
        var sts = AppsKinds.StatefulSets;

        Assert.Equal(["sts"], sts.Type.ShortNames);
        Assert.Equal(["all"], sts.Categories);
        Assert.True(sts.Has("status") && sts.Has("scale"));
        Assert.NotNull(sts.Scale);
        Assert.Empty(AppsKinds.ControllerRevisions.Subresources);
        Assert.Contains(AppsKinds.StatefulSets, BuiltInKinds.All);
        Assert.Contains(AppsKinds.ControllerRevisions, BuiltInKinds.All);
        Assert.NotNull(registry);
    }

    [Theory]
    [InlineData("web", "web-0", 0)]
    [InlineData("web", "web-12", 12)]
    [InlineData("web", "web-", null)]
    [InlineData("web", "web-x", null)]
    [InlineData("web", "web-1-2", null)]
    [InlineData("web", "webby-1", null)]
    [InlineData("web-1", "web-1-2", 2)]
    [InlineData("web", "web-99999999999", null)]
    public void A_pods_ordinal_is_the_number_after_its_sets_name(string set, string pod, int? ordinal)
    {
        Assert.Equal(ordinal, StatefulSetIdentity.OrdinalOf(set, pod));
    }
}
