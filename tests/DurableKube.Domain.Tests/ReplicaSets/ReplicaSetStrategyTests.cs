using DurableKube.Domain.Kinds;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;
using static DurableKube.Domain.Tests.ReplicaSets.ReplicaSetPods;

namespace DurableKube.Domain.Tests.ReplicaSets;

/// <summary>The API server's rules for ReplicaSets (pkg/registry/apps/replicaset/strategy.go, pkg/apis/apps/validation) and their printer.</summary>
public sealed class ReplicaSetStrategyTests
{
    private static readonly ReplicaSetStrategy Strategy = new();

    private static V1ReplicaSet Valid()
    {
        var rs = Frontend();
        rs.Metadata.Uid = null;
        rs.Metadata.Generation = null;
        rs.Metadata.CreationTimestamp = null;
        Strategy.Default(rs);
        return rs;
    }

    private static string[] Errors(V1ReplicaSet rs) => [.. Strategy.Validate(rs).Select(e => e.ToString())];

    [Fact]
    public void A_ReplicaSet_without_replicas_gets_one_and_its_template_the_pod_defaults()
    {
        var rs = Frontend(replicas: null);

        Strategy.Default(rs);

        Assert.Equal(1, rs.Spec.Replicas);
        Assert.Equal(("Always", "ClusterFirst", 30L), (rs.Spec.Template.Spec.RestartPolicy, rs.Spec.Template.Spec.DnsPolicy, rs.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value));
        Assert.Equal("IfNotPresent", rs.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void A_new_ReplicaSet_starts_at_generation_one_with_an_empty_status()
    {
        var rs = Valid();
        rs.Status = new V1ReplicaSetStatus { Replicas = 7 };

        Strategy.PrepareForCreate(rs);

        Assert.Equal(1, rs.Metadata.Generation);
        Assert.Equal(0, rs.Status?.Replicas ?? 0);
    }

    [Fact]
    public void The_docs_frontend_is_valid()
    {
        Assert.Empty(Errors(Valid()));
    }

    public static TheoryData<string, Action<V1ReplicaSet>, string> Invalid => new()
    {
        { "negative replicas", rs => rs.Spec.Replicas = -1, "spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "negative minReadySeconds", rs => rs.Spec.MinReadySeconds = -1, "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0" },
        { "no selector", rs => rs.Spec.Selector = null, "spec.selector: Required value" },
        {
            "an empty selector", rs => rs.Spec.Selector = new V1LabelSelector(),
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        },
        {
            "a selector the template's labels do not match", rs => rs.Spec.Selector.MatchLabels["tier"] = "backend",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"guestbook\", \"tier\":\"frontend\"}: `selector` does not match template `labels`"
        },
        {
            "restartPolicy OnFailure", rs => rs.Spec.Template.Spec.RestartPolicy = "OnFailure",
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
        },
        {
            "activeDeadlineSeconds", rs => rs.Spec.Template.Spec.ActiveDeadlineSeconds = 10,
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validation_refuses_with_the_API_servers_message(string what, Action<V1ReplicaSet> spoil, string error)
    {
        Assert.NotNull(what);
        var rs = Valid();
        spoil(rs);

        Assert.Contains(error, Errors(rs), StringComparer.Ordinal);
    }

    [Fact]
    public void The_selector_may_not_change()
    {
        var old = Valid();
        var updated = KubeJson.Clone(old);
        updated.Spec.Selector.MatchLabels["app"] = "guestbook";
        updated.Spec.Selector.MatchExpressions = [new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "qa"] }];
        updated.Spec.Template.Metadata.Labels["env"] = "prod";

        Assert.Equal(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"guestbook\", \"tier\":\"frontend\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"env\", Operator:\"In\", Values:[]string{\"prod\", \"qa\"}}}}: field is immutable",
            Assert.Single(Strategy.ValidateUpdate(updated, old)).ToString());
    }

    [Fact]
    public void Replicas_and_the_template_may_change_and_count_as_a_new_generation()
    {
        var old = Valid();
        Strategy.PrepareForCreate(old);
        var updated = KubeJson.Clone(old);
        updated.Spec.Replicas = 5;
        updated.Spec.Template.Spec.Containers[0].Image = "gb-frontend:v6";

        Strategy.PrepareForUpdate(updated, old);

        Assert.Empty(Strategy.ValidateUpdate(updated, old));
        Assert.Equal(2, updated.Metadata.Generation);
    }

    [Theory]
    [InlineData(3, 3, 2, 2, null)]
    [InlineData(3, 4, 2, 2, "status.fullyLabeledReplicas: Invalid value: 4: cannot be greater than status.replicas")]
    [InlineData(3, 3, 4, 2, "status.readyReplicas: Invalid value: 4: cannot be greater than status.replicas")]
    [InlineData(3, 3, 1, 2, "status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas")]
    [InlineData(-1, 0, 0, 0, "status.replicas: Invalid value: -1: must be greater than or equal to 0")]
    public void A_status_update_is_checked_as_ValidateReplicaSetStatus_does(int replicas, int fullyLabeled, int ready, int available, string? error)
    {
        var old = Valid();
        var updated = KubeJson.Clone(old);
        updated.Status = new V1ReplicaSetStatus { Replicas = replicas, FullyLabeledReplicas = fullyLabeled, ReadyReplicas = ready, AvailableReplicas = available, ObservedGeneration = 1 };

        Assert.Equal(error, Strategy.ValidateStatusUpdate(updated, old).Select(e => e.ToString()).FirstOrDefault());
    }

    [Fact]
    public void The_printer_has_kubectls_columns_and_wide_ones()
    {
        Assert.Equal(
            ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"],
            ReplicaSetPrinter.Columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], ReplicaSetPrinter.Columns.Select(c => c.Priority));
    }

    [Fact]
    // The selector's requirements are sorted by key, as labels.Selector's String() writes them.
    public void A_row_shows_desired_current_ready_age_containers_images_and_selector()
    {
        var rs = Frontend(replicas: 3, status: new V1ReplicaSetStatus { Replicas = 2, ReadyReplicas = 1 });
        rs.Spec.Selector.MatchExpressions = [new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "qa"] }];

        Assert.Equal(
            ["frontend", 3L, 2L, 1L, "5m", "php-redis", "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5", "env in (prod,qa),tier=frontend"],
            ReplicaSetPrinter.Cells(rs, T0.AddMinutes(5)));
    }

    [Fact]
    public void A_new_ReplicaSet_prints_zero_current_and_ready()
    {
        Assert.Equal([0L, 0L], ReplicaSetPrinter.Cells(Frontend(status: null), T0).Skip(2).Take(2));
    }

    [Fact]
    public void The_kind_has_status_and_scale_subresources_over_spec_and_status_replicas()
    {
        var kind = BuiltInKinds.Registry().Find("replicasets.apps")!;
        var rs = Frontend(replicas: 3, status: new V1ReplicaSetStatus { Replicas = 2 });

        Assert.Equal(("ReplicaSet", "rs"), (kind.Type.Kind, kind.Type.ShortNames.Single()));
        Assert.Equal((3, 2), (kind.Scale!.DesiredReplicas(rs), kind.Scale.CurrentReplicas(rs)));
        kind.Scale.SetDesiredReplicas(rs, 5);
        Assert.Equal(5, rs.Spec.Replicas);
    }
}
