using DurableKube.Domain.Deployments;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Deployments;

public class DeploymentKindTests
{
    private static readonly DeploymentStrategy Strategy = new();

    internal static V1Deployment Deployment(Action<V1DeploymentSpec>? change = null)
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "nginx-deployment", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 3,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "nginx" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "nginx" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.14.2", Command = ["sh", "-c", "sleep 3600"] }] },
                },
            },
        };
        change?.Invoke(deployment.Spec);
        return deployment;
    }

    private static string? Errors(V1Deployment deployment)
    {
        Strategy.Default(deployment);
        var errors = Strategy.Validate(deployment).Select(e => e.ToString()).ToList();
        return errors.Count == 0 ? null : string.Join(" | ", errors);
    }

    [Fact]
    public void A_new_Deployment_gets_the_apps_v1_defaults()
    {
        var deployment = Deployment(s => s.Replicas = null);

        Strategy.Default(deployment);

        var spec = deployment.Spec;
        Assert.Equal((1, "RollingUpdate", "25%", "25%", 10, 600), (spec.Replicas, spec.Strategy.Type, spec.Strategy.RollingUpdate.MaxSurge.Value, spec.Strategy.RollingUpdate.MaxUnavailable.Value, spec.RevisionHistoryLimit, spec.ProgressDeadlineSeconds));
        Assert.Equal("Always", spec.Template.Spec.RestartPolicy);
        Assert.Equal("IfNotPresent", spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void A_Recreate_Deployment_gets_no_rolling_update_defaults()
    {
        var deployment = Deployment(s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate" });

        Strategy.Default(deployment);

        Assert.Null(deployment.Spec.Strategy.RollingUpdate);
        Assert.Null(Errors(deployment));
    }

    public static TheoryData<string, Action<V1DeploymentSpec>, string?> SpecCases => new()
    {
        { "valid", _ => { }, null },
        { "no selector", s => s.Selector = null, "spec.selector: Required value" },
        { "empty selector", s => s.Selector = new V1LabelSelector(), "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment" },
        { "selector not matching", s => s.Selector.MatchLabels["app"] = "other", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`" },
        { "negative replicas", s => s.Replicas = -1, "spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "both zero", s => s.Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 0, MaxUnavailable = "0%" } }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0" },
        { "bad percent", s => s.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "1x%" } }, "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"1x%\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" },
        { "negative surge", s => s.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = -1 } }, "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0" },
        { "over 100%", s => s.Strategy = new V1DeploymentStrategy { RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = "101%" } }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%" },
        { "Recreate with rollingUpdate", s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate", RollingUpdate = new V1RollingUpdateDeployment() }, "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'" },
        { "unknown strategy", s => s.Strategy = new V1DeploymentStrategy { Type = "BlueGreen" }, "spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"" },
        { "deadline not above minReadySeconds", s => (s.MinReadySeconds, s.ProgressDeadlineSeconds) = (10, 10), "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds" },
        { "negative history", s => s.RevisionHistoryLimit = -1, "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0" },
        { "restartPolicy Never", s => s.Template.Spec.RestartPolicy = "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"" },
    };

    [Theory]
    [MemberData(nameof(SpecCases))]
    public void The_spec_is_checked_with_the_API_servers_messages(string name, Action<V1DeploymentSpec> change, string? expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, Errors(Deployment(change)));
    }

    [Fact]
    public void The_selector_may_not_change()
    {
        var old = Deployment();
        Strategy.Default(old);
        var changed = Deployment(s =>
        {
            s.Selector.MatchLabels["tier"] = "web";
            s.Template.Metadata.Labels["tier"] = "web";
        });
        Strategy.Default(changed);

        var errors = Strategy.ValidateUpdate(changed, old).Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("spec.selector: Invalid value: ", StringComparison.Ordinal) && e.EndsWith("field is immutable", StringComparison.Ordinal));
    }

    [Fact]
    public void A_status_write_keeps_the_spec_and_takes_the_revision_annotation()
    {
        var old = Deployment();
        var sent = Deployment(s => s.Replicas = 9);
        sent.Metadata.Annotations = new Dictionary<string, string> { [DeploymentAnnotations.Revision] = "2" };
        sent.Status = new V1DeploymentStatus { Replicas = 3 };

        var stored = (V1Deployment)Strategy.PrepareForStatusUpdate(sent, old);

        Assert.Equal((3, 3, "2"), (stored.Spec.Replicas, stored.Status.Replicas, stored.Metadata.Annotations[DeploymentAnnotations.Revision]));
    }

    [Theory]
    [InlineData(3, 4, 3, null, null)]
    [InlineData(3, 2, 3, null, "status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas")]
    [InlineData(3, 3, 1, 2, "status.collisionCount: Invalid value: 1: cannot be decremented")]
    public void The_status_is_checked(int updated, int replicas, int collisions, int? oldCollisions, string? expected)
    {
        var status = new V1DeploymentStatus { UpdatedReplicas = updated, Replicas = replicas, ReadyReplicas = 0, AvailableReplicas = 0, CollisionCount = collisions };

        var errors = DeploymentValidation.ValidateStatus(status, new V1DeploymentStatus { CollisionCount = oldCollisions });

        Assert.Equal(expected, errors.Select(e => e.ToString()).SingleOrDefault());
    }

    [Fact]
    public void The_row_shows_ready_of_desired_up_to_date_available_and_wide_columns()
    {
        var deployment = Deployment();
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        deployment.Metadata.CreationTimestamp = KubeTime.Truncate(now.AddSeconds(-90));
        deployment.Status = new V1DeploymentStatus { ReadyReplicas = 2, UpdatedReplicas = 3, AvailableReplicas = 1 };

        Assert.Equal(["nginx-deployment", "2/3", 3L, 1L, "90s", "nginx", "nginx:1.14.2", "app=nginx"], DeploymentPrinter.Cells(deployment, now));
        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], DeploymentPrinter.Columns.Select(c => c.Name));
    }
}
