using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class EphemeralContainerValidationTests
{
    [Fact]
    public void A_pod_cannot_be_created_with_ephemeral_containers()
    {
        var pod = Pod();
        pod.Spec.EphemeralContainers = [Debugger()];

        Assert.Equal(["spec.ephemeralContainers: Forbidden: cannot be set on create"], EphemeralContainerValidation.ValidateCreate(pod).Select(e => e.ToString()));
        Assert.Empty(EphemeralContainerValidation.ValidateCreate(Pod()));
    }

    [Fact]
    public void Adding_an_ephemeral_container_that_targets_an_app_container_is_valid()
    {
        var old = Pod();
        var pod = With(old, Debugger());

        Assert.Empty(EphemeralContainerValidation.ValidateUpdate(pod, old));
    }

    public static TheoryData<string, Action<V1EphemeralContainer>, string> Invalid => new()
    {
        { "ports", c => c.Ports = [new V1ContainerPort { ContainerPort = 8080 }], "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container" },
        { "liveness", c => c.LivenessProbe = new V1Probe(), "spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container" },
        { "readiness", c => c.ReadinessProbe = new V1Probe(), "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container" },
        { "startup", c => c.StartupProbe = new V1Probe(), "spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container" },
        { "lifecycle", c => c.Lifecycle = new V1Lifecycle(), "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container" },
        { "resources", c => c.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } }, "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container" },
        { "restartPolicy", c => c.RestartPolicy = "Always", "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container" },
        { "name taken", c => c.Name = "app", "spec.ephemeralContainers[0].name: Duplicate value: \"app\"" },
        { "bad name", c => c.Name = "Debugger", "spec.ephemeralContainers[0].name: Invalid value: \"Debugger\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "no image", c => c.Image = null, "spec.ephemeralContainers[0].image: Required value" },
        { "no target", c => c.TargetContainerName = "nope", "spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_ephemeral_container_may_not_have_what_a_troubleshooting_container_does_not_need(string what, Action<V1EphemeralContainer> change, string expected)
    {
        Assert.NotNull(what);
        var old = Pod();
        var debugger = Debugger();
        change(debugger);

        Assert.Contains(expected, EphemeralContainerValidation.ValidateUpdate(With(old, debugger), old).Select(e => e.ToString()));
    }

    [Fact]
    public void Existing_ephemeral_containers_may_not_be_removed_or_changed()
    {
        var old = With(Pod(), Debugger());

        Assert.Equal(
            ["spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" may not be removed\n"],
            EphemeralContainerValidation.ValidateUpdate(Pod(), old).Select(e => e.ToString()));

        var changed = Debugger();
        changed.Command = ["sh", "-c", "other"];
        Assert.Equal(
            ["spec.ephemeralContainers.debugger: Forbidden: existing ephemeral containers \"debugger\" may not be changed\n"],
            EphemeralContainerValidation.ValidateUpdate(With(Pod(), changed), old).Select(e => e.ToString()));

        var second = Debugger();
        second.Name = "second";
        Assert.Empty(EphemeralContainerValidation.ValidateUpdate(With(Pod(), Debugger(), second), old));
    }

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox" }] },
    };

    private static V1EphemeralContainer Debugger() => new() { Name = "debugger", Image = "busybox", Command = ["sh"], Stdin = true, Tty = true, TargetContainerName = "app" };

    private static V1Pod With(V1Pod pod, params V1EphemeralContainer[] containers)
    {
        var copy = KubeJson.Clone(pod);
        copy.Spec.EphemeralContainers = containers;
        return copy;
    }
}
