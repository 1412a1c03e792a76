using DurableKube.Domain.Kubelet;
using DurableKube.Workflows.Pods;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Pods;

/// <summary>What reaches the runtime of a container's image and security context.</summary>
public sealed class ContainerLaunchesTests
{
    private static readonly ResolvedContainer Resolved = new(["sh"], [], null);

    [Theory]
    [InlineData("busybox", null, "Always")]
    [InlineData("busybox:latest", null, "Always")]
    [InlineData("busybox:1.36", null, "IfNotPresent")]
    [InlineData("registry:5000/app", null, "Always")]
    [InlineData("busybox", "Never", "Never")]
    [InlineData("busybox:1.36", "Always", "Always")]
    public void The_pull_policy_is_the_specs_or_the_APIs_default(string image, string? policy, string expected)
    {
        var container = new V1Container { Name = "app", Image = image, ImagePullPolicy = policy };

        var launch = ContainerLaunches.For(Pod(container), container, Resolved, 0);

        Assert.Equal(expected, launch.ImagePullPolicy);
    }

    [Fact]
    public void The_security_context_reaches_the_launch_with_the_pods_user_as_default()
    {
        var container = new V1Container
        {
            Name = "app",
            Image = "busybox:1",
            SecurityContext = new V1SecurityContext { Privileged = true, ReadOnlyRootFilesystem = true },
        };
        var pod = Pod(container);
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var launch = ContainerLaunches.For(pod, container, Resolved, 0);

        Assert.Equal((1000L, true, true), (launch.RunAsUser, launch.Privileged, launch.ReadOnlyRootFilesystem));
    }

    [Fact]
    public void The_sandbox_lists_every_image_init_containers_first()
    {
        var pod = Pod(new V1Container { Name = "app", Image = "app:2", ImagePullPolicy = "IfNotPresent" });
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "init", ImagePullPolicy = "Never" }];

        var images = ContainerLaunches.Images(pod);

        Assert.Equal([("init", "init", "Never"), ("app", "app:2", "IfNotPresent")], images.Select(i => (i.Container, i.Image, i.PullPolicy)));
    }

    private static V1Pod Pod(V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "uid-1" },
        Spec = new V1PodSpec { Containers = [container] },
    };
}
