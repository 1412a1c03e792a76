using DurableKube.Domain.Defaulting;
using k8s.Models;

namespace DurableKube.Domain.Tests.Defaulting;

public class PodDefaultsTests
{
    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("registry:5000/team/app", "Always")]
    [InlineData("registry:5000/team/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:abcd", "IfNotPresent")]
    [InlineData("nginx:latest@sha256:abcd", "Always")]
    public void Pull_policy_follows_the_tag(string image, string policy)
    {
        Assert.Equal(policy, PodDefaults.DefaultPullPolicy(image));
    }

    [Fact]
    public void Scheme_defaults_fill_what_the_api_server_fills()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "nginx",
                        Ports = [new V1ContainerPort { ContainerPort = 80 }],
                        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80 } },
                    },
                ],
            },
        };

        PodDefaults.Apply(pod);

        var spec = pod.Spec;
        Assert.Equal("Always", spec.RestartPolicy);
        Assert.Equal(30, spec.TerminationGracePeriodSeconds);
        Assert.Equal("ClusterFirst", spec.DnsPolicy);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.NotNull(spec.SecurityContext);
        Assert.True(spec.EnableServiceLinks);
        var container = spec.Containers[0];
        Assert.Equal("/dev/termination-log", container.TerminationMessagePath);
        Assert.Equal("File", container.TerminationMessagePolicy);
        Assert.Equal("Always", container.ImagePullPolicy);
        Assert.Equal("TCP", container.Ports[0].Protocol);
        Assert.Equal("1", container.Resources.Requests["cpu"].ToString());
        Assert.Equal(1, container.LivenessProbe.TimeoutSeconds);
        Assert.Equal(10, container.LivenessProbe.PeriodSeconds);
        Assert.Equal(1, container.LivenessProbe.SuccessThreshold);
        Assert.Equal(3, container.LivenessProbe.FailureThreshold);
        Assert.Equal("HTTP", container.LivenessProbe.HttpGet.Scheme);
        Assert.Equal("/", container.LivenessProbe.HttpGet.Path);
    }

    [Theory]
    // service as sent -> as stored (GRPCAction.Service is +default="": the server's overall health)
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("grpc.health.v1.Health", "grpc.health.v1.Health")]
    public void A_grpc_probes_service_defaults_to_the_empty_name(string? service, string stored)
    {
        V1Probe Grpc() => new() { Grpc = new V1GRPCAction { Port = 9090, Service = service } };
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                InitContainers = [new V1Container { Name = "proxy", Image = "envoy", RestartPolicy = "Always", StartupProbe = Grpc() }],
                Containers = [new V1Container { Name = "app", Image = "nginx", LivenessProbe = Grpc(), ReadinessProbe = Grpc() }],
            },
        };

        PodDefaults.Apply(pod);

        var app = pod.Spec.Containers[0];
        Assert.Equal([stored, stored, stored], [app.LivenessProbe.Grpc.Service, app.ReadinessProbe.Grpc.Service, pod.Spec.InitContainers[0].StartupProbe.Grpc.Service]);
        Assert.Equal(9090, app.LivenessProbe.Grpc.Port);
        Assert.Equal(10, app.LivenessProbe.PeriodSeconds);
    }

    [Fact]
    public void Scheme_defaults_keep_what_is_set()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { RestartPolicy = "Never", TerminationGracePeriodSeconds = 5, Containers = [new V1Container { Name = "a", Image = "x:1", ImagePullPolicy = "Never" }] } };

        PodDefaults.Apply(pod);

        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(5, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Never", pod.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Create_adds_the_two_default_tolerations_service_account_and_priority()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [] } };

        PodDefaults.ApplyOnCreate(pod);

        Assert.Equal("default", pod.Spec.ServiceAccountName);
        Assert.Equal("default", pod.Spec.ServiceAccount);
        Assert.Equal(0, pod.Spec.Priority);
        Assert.Collection(
            pod.Spec.Tolerations,
            t => Assert.Equal(("node.kubernetes.io/not-ready", "Exists", "NoExecute", 300L), (t.Key, t.OperatorProperty, t.Effect, t.TolerationSeconds!.Value)),
            t => Assert.Equal(("node.kubernetes.io/unreachable", "Exists", "NoExecute", 300L), (t.Key, t.OperatorProperty, t.Effect, t.TolerationSeconds!.Value)));
    }

    [Fact]
    public void Create_keeps_a_toleration_the_pod_already_has()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Tolerations = [new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 5 }] } };

        PodDefaults.ApplyOnCreate(pod);

        Assert.Equal(2, pod.Spec.Tolerations.Count);
        Assert.Equal(5, pod.Spec.Tolerations[0].TolerationSeconds);
    }
}
