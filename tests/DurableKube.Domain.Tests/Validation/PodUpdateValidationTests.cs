using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class PodUpdateValidationTests
{
    public static TheoryData<string, Action<V1Pod>, bool> Changes => new()
    {
        { "image", p => p.Spec.Containers[0].Image = "nginx:1.28", true },
        { "active deadline set", p => p.Spec.ActiveDeadlineSeconds = 60, true },
        { "toleration added", p => p.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "Exists", Effect = "NoSchedule" }], true },
        { "port added", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = "TCP" }], false },
        { "restart policy", p => p.Spec.RestartPolicy = "Never", false },
        { "grace period", p => p.Spec.TerminationGracePeriodSeconds = 10, false },
        { "node name", p => p.Spec.NodeName = "node-1", false },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Only_the_updatable_fields_may_change(string name, Action<V1Pod> change, bool allowed)
    {
        ArgumentNullException.ThrowIfNull(change);
        var old = PodValidationTests.ValidPod();
        var pod = KubeJson.Clone(old);
        change(pod);

        var errors = PodUpdateValidation.Validate(pod, old);

        Assert.True(allowed == (errors.Count == 0), $"{name}: {string.Join(", ", errors)}");
        if (!allowed)
        {
            var error = Assert.Single(errors);
            Assert.Equal("spec", error.Field);
            Assert.StartsWith("Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)", error.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Containers_may_not_be_added_or_removed()
    {
        var old = PodValidationTests.ValidPod();
        var pod = KubeJson.Clone(old);
        pod.Spec.Containers.Add(new V1Container { Name = "b", Image = "b" });

        Assert.Equal(["spec.containers: Forbidden: pod updates may not add or remove containers"], PodUpdateValidation.Validate(pod, old).Select(e => e.ToString()));
    }

    [Fact]
    public void Active_deadline_may_only_shrink()
    {
        var old = PodValidationTests.ValidPod();
        old.Spec.ActiveDeadlineSeconds = 30;
        var pod = KubeJson.Clone(old);
        pod.Spec.ActiveDeadlineSeconds = 60;

        Assert.Equal(["spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"], PodUpdateValidation.Validate(pod, old).Select(e => e.ToString()));
    }

    [Fact]
    public void Existing_tolerations_may_not_be_removed()
    {
        var old = PodValidationTests.ValidPod();
        old.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "Exists" }];
        var pod = KubeJson.Clone(old);
        pod.Spec.Tolerations = [];

        Assert.Contains("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds", PodUpdateValidation.Validate(pod, old).Select(e => e.ToString()));
    }

    [Fact]
    public void An_empty_image_is_required()
    {
        var old = PodValidationTests.ValidPod();
        var pod = KubeJson.Clone(old);
        pod.Spec.Containers[0].Image = string.Empty;

        Assert.Contains("spec.containers[0].image: Required value", PodUpdateValidation.Validate(pod, old).Select(e => e.ToString()));
    }
}
