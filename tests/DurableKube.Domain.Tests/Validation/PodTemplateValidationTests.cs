using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class PodTemplateValidationTests
{
    public static TheoryData<string, Action<V1PodTemplateSpec>, string[]> Cases => new()
    {
        { "valid", _ => { }, [] },
        { "no containers", t => t.Spec.Containers = [], ["spec.template.spec.containers: Required value"] },
        { "no image", t => t.Spec.Containers[0].Image = null, ["spec.template.spec.containers[0].image: Required value"] },
        {
            "duplicate container", t => t.Spec.Containers.Add(new V1Container { Name = "app", Image = "b", TerminationMessagePolicy = "File", ImagePullPolicy = "Always" }),
            ["spec.template.spec.containers[1].name: Duplicate value: \"app\""]
        },
        {
            "bad protocol", t => t.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = "ICMP" }],
            ["spec.template.spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]
        },
        {
            "mount of an unknown volume", t => t.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
            ["spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\""]
        },
        {
            "active deadline zero", t => t.Spec.ActiveDeadlineSeconds = 0,
            ["spec.template.spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"]
        },
        {
            "bad label key", t => t.Metadata.Labels["bad key"] = "v",
            ["spec.template.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]
        },
        {
            "bad label value", t => t.Metadata.Labels["app"] = "web site",
            ["spec.template.labels: Invalid value: \"web site\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
        },
        {
            "annotations too big", t => t.Metadata.Annotations = new Dictionary<string, string> { ["a"] = new string('x', 262_144) },
            ["spec.template.annotations: Too long: may not be more than 262144 bytes"]
        },
        {
            "no metadata at all", t => t.Metadata = null, []
        },
        {
            "a name and namespace are not checked", t => { t.Metadata.Name = "Not_A_Name"; t.Metadata.NamespaceProperty = "Not_A_Namespace"; }, []
        },
        {
            "ephemeral containers", t => t.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Image = "busybox" }],
            ["spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template"]
        },
        { "no spec", t => t.Spec = null, ["spec.template.spec.containers: Required value"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_template_is_checked_at_its_path_as_the_api_server_checks_it(string name, Action<V1PodTemplateSpec> change, string[] expected)
    {
        ArgumentNullException.ThrowIfNull(change);
        var template = ValidTemplate();
        change(template);

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.template").Select(e => e.ToString()).ToArray();

        Assert.True(expected.SequenceEqual(errors), $"{name}: got [{string.Join(", ", errors)}]");
    }

    [Theory]
    [InlineData("ReplicaSet", "Always", null)]
    [InlineData("ReplicaSet", "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")]
    [InlineData("ReplicaSet", "OnFailure", "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"")]
    [InlineData("Deployment", "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")]
    [InlineData("StatefulSet", "OnFailure", "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"")]
    [InlineData("Job", "Never", null)]
    [InlineData("Job", "OnFailure", null)]
    [InlineData("Job", "Always", "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")]
    [InlineData("none", "Never", null)]
    [InlineData("none", "OnFailure", null)]
    public void The_owner_decides_which_restart_policies_its_template_may_have(string owner, string policy, string? expected)
    {
        var template = ValidTemplate();
        template.Spec.RestartPolicy = policy;

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.template", Rules(owner)).Select(e => e.ToString());

        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Theory]
    [InlineData("ReplicaSet", "", "spec.template.spec.restartPolicy: Unsupported value: \"\": supported values: \"Always\"")]
    [InlineData("Job", "", "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"")]
    [InlineData("Job", "Sometimes", "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"OnFailure\", \"Never\"")]
    public void A_policy_no_pod_may_have_is_reported_by_the_pod_rules_and_again_by_the_owner(string owner, string policy, string expected)
    {
        var template = ValidTemplate();
        template.Spec.RestartPolicy = policy;

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.template", Rules(owner)).Select(e => e.ToString()).ToList();

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("spec.template.spec.restartPolicy: ", errors[0], StringComparison.Ordinal);
        Assert.Equal(expected, errors[1]);
    }

    [Theory]
    [InlineData("ReplicaSet", "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported")]
    [InlineData("Deployment", "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported")]
    [InlineData("StatefulSet", "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported")]
    [InlineData("Job", null)]
    [InlineData("none", null)]
    public void Owners_that_keep_pods_running_forbid_activeDeadlineSeconds(string owner, string? expected)
    {
        var template = ValidTemplate();
        template.Spec.RestartPolicy = owner == "Job" ? "Never" : "Always";
        template.Spec.ActiveDeadlineSeconds = 60;

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.template", Rules(owner)).Select(e => e.ToString());

        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Fact]
    public void A_cron_jobs_template_is_reported_under_its_job_template()
    {
        var template = ValidTemplate();
        template.Spec.Containers[0].Image = null;

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.jobTemplate.spec.template", PodTemplateRules.Job).Select(e => e.ToString());

        Assert.Equal(
            [
                "spec.jobTemplate.spec.template.spec.containers[0].image: Required value",
                "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
            ],
            errors);
    }

    [Fact]
    public void Labels_and_the_spec_are_reported_together_then_the_owner_rules()
    {
        var template = ValidTemplate();
        template.Metadata.Labels["app"] = "-web";
        template.Spec.Containers[0].Name = null;
        template.Spec.RestartPolicy = "Never";
        template.Spec.ActiveDeadlineSeconds = 10;

        var errors = PodValidation.ValidatePodTemplateSpec(template, "spec.template", PodTemplateRules.ReplicaSet).Select(e => e.Field);

        Assert.Equal(["spec.template.labels", "spec.template.spec.containers[0].name", "spec.template.spec.restartPolicy", "spec.template.spec.activeDeadlineSeconds"], errors);
    }

    [Fact]
    public void A_missing_template_is_required()
    {
        Assert.Equal(["spec.template: Required value"], PodValidation.ValidatePodTemplateSpec(null, "spec.template", PodTemplateRules.ReplicaSet).Select(e => e.ToString()));
    }

    private static PodTemplateRules? Rules(string owner) => owner switch
    {
        "ReplicaSet" => PodTemplateRules.ReplicaSet,
        "Deployment" => PodTemplateRules.Deployment,
        "StatefulSet" => PodTemplateRules.StatefulSet,
        "Job" => PodTemplateRules.Job,
        _ => null,
    };

    private static V1PodTemplateSpec ValidTemplate()
    {
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
        };
        PodDefaults.ApplyTemplate(template);
        return template;
    }
}
