using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class PodSpecValidationTests
{
    [Theory]
    [InlineData("spec", "spec.containers[0].image: Required value")]
    [InlineData("spec.template.spec", "spec.template.spec.containers[0].image: Required value")]
    [InlineData("spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.spec.containers[0].image: Required value")]
    [InlineData("template.spec", "template.spec.containers[0].image: Required value")]
    public void Errors_start_at_the_path_the_spec_sits_at(string path, string expected)
    {
        var spec = ValidSpec();
        spec.Containers[0].Image = null;

        Assert.Equal([expected], PodValidation.ValidatePodSpec(spec, path).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("spec", "spec.containers: Required value")]
    [InlineData("spec.template.spec", "spec.template.spec.containers: Required value")]
    public void A_missing_spec_is_reported_as_missing_containers(string path, string expected)
    {
        Assert.Equal([expected], PodValidation.ValidatePodSpec(null, path).Select(e => e.ToString()));
    }

    [Fact]
    public void Every_nested_rule_follows_the_path()
    {
        var spec = ValidSpec();
        spec.RestartPolicy = "Sometimes";
        spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 70000, Protocol = "TCP" }];
        spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        spec.Tolerations = [new V1Toleration { OperatorProperty = "Equal" }];

        var errors = PodValidation.ValidatePodSpec(spec, "spec.template.spec").Select(e => e.ToString()).ToList();

        Assert.Equal(
            [
                "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
                "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\"",
                "spec.template.spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ],
            errors);
    }

    [Fact]
    public void ValidateSpec_is_ValidatePodSpec_at_spec()
    {
        var pod = PodValidationTests.ValidPod();
        pod.Spec.Containers[0].Name = "App_1";
        pod.Spec.ActiveDeadlineSeconds = 0;

        Assert.Equal(PodValidation.ValidatePodSpec(pod.Spec, "spec"), PodValidation.ValidateSpec(pod));
    }

    private static V1PodSpec ValidSpec()
    {
        var template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] } };
        PodDefaults.ApplyTemplate(template);
        return template.Spec;
    }
}
