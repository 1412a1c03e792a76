using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Serialization.Protobuf;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.Protobuf;

/// <summary>
/// Protobuf request bodies as kubectl's generators send them (Go's generated marshallers write every plain field,
/// zeros and empty strings included, and pointer fields only when set), decoded by the one generic decoder.
/// </summary>
public sealed class ProtobufBodyTests
{
    private static readonly byte[] EmptyMeta = Proto.Message(Proto.Field(1, string.Empty), Proto.Field(2, string.Empty), Proto.Field(3, string.Empty), Proto.Time(8, 0));

    [Fact]
    public void Every_served_kind_has_its_message_in_the_generated_table()
    {
        foreach (var kind in BuiltInKinds.All)
        {
            Assert.True(ProtoSchema.Find(kind.ProtobufMessageName) is not null, $"{kind.Type.Kind}: {kind.ProtobufMessageName} is not in ProtoTable.g.cs");
        }
    }

    [Theory]
    [InlineData("k8s.io.api.apps.v1.DeploymentSpec", 1, "replicas", "int32", ProtoLabel.Single, true)]
    [InlineData("k8s.io.api.core.v1.PodSpec", 2, "containers", "k8s.io.api.core.v1.Container", ProtoLabel.Repeated, false)]
    [InlineData("k8s.io.api.core.v1.Secret", 2, "data", "bytes", ProtoLabel.Map, false)]
    [InlineData("k8s.io.api.core.v1.ResourceRequirements", 1, "limits", "k8s.io.apimachinery.pkg.api.resource.Quantity", ProtoLabel.Map, false)]
    [InlineData("k8s.io.api.core.v1.ServicePort", 5, "nodePort", "int32", ProtoLabel.Single, false)]
    [InlineData("k8s.io.api.batch.v1.JobSpec", 7, "backoffLimit", "int32", ProtoLabel.Single, true)]
    [InlineData("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", 8, "creationTimestamp", "k8s.io.apimachinery.pkg.apis.meta.v1.Time", ProtoLabel.Single, false)]
    public void The_table_has_kubernetes_field_numbers(string message, int number, string name, string type, ProtoLabel label, bool pointer)
    {
        var field = ProtoSchema.Find(message)!.Fields[number];

        Assert.Equal(new ProtoFieldInfo(name, number, type, label, pointer), field with { Required = false });
    }

    [Fact]
    public async Task Kubectl_create_deployment_is_understood()
    {
        await using var api = await ApiHost.StartAsync();
        var container = Proto.Message(Proto.Field(1, "busybox"), Proto.Field(2, "busybox:test"), Proto.Field(3, "sleep"), Proto.Field(3, "3600"), Proto.Field(5, string.Empty), Proto.Field(8, Proto.Message()), Proto.Field(14, string.Empty));
        var template = Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, string.Empty), Proto.Map(11, "app", "web"), Proto.Time(8, 0))), Proto.Field(2, Proto.Message(Proto.Field(2, container), Proto.Field(3, string.Empty), Proto.Varint(4, 0))));
        var spec = Proto.Message(Proto.Varint(1, 1), Proto.Field(2, Proto.Message(Proto.Map(1, "app", "web"))), Proto.Field(3, template), Proto.Field(4, Proto.Message(Proto.Field(1, string.Empty))), Proto.Varint(5, 0), Proto.Varint(7, 0));
        var body = Proto.Body("apps/v1", "Deployment", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "web"), Proto.Map(11, "app", "web"), Proto.Time(8, 0))), Proto.Field(2, spec), Proto.Field(3, Proto.Message())));

        var response = await api.PostProtobufAsync("/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict", body);

        Assert.True(response.Code == 201, response.Body);
        var stored = KubernetesJson.Deserialize<V1Deployment>(response.Body);
        Assert.Equal(1, stored.Spec.Replicas);
        Assert.Equal("web", stored.Spec.Selector.MatchLabels["app"]);
        var c = Assert.Single(stored.Spec.Template.Spec.Containers);
        Assert.Equal(("busybox", "busybox:test"), (c.Name, c.Image));
        Assert.Equal(["sleep", "3600"], c.Command);
        Assert.Null(stored.Spec.Paused);
        Assert.Null(stored.Metadata.CreationTimestamp is { } t && t.Year < 2000 ? t : null);
    }

    [Fact]
    public async Task Kubectl_create_job_and_cronjob_are_understood()
    {
        await using var api = await ApiHost.StartAsync();
        var podSpec = Proto.Message(Proto.Field(2, Proto.Message(Proto.Field(1, "pi"), Proto.Field(2, "busybox:test"), Proto.Field(3, "echo"), Proto.Field(3, "hi"), Proto.Field(8, Proto.Message()))), Proto.Field(3, "Never"));
        var jobSpec = Proto.Message(Proto.Field(6, Proto.Message(Proto.Field(1, Proto.Message(Proto.Time(8, 0))), Proto.Field(2, podSpec))));
        var job = Proto.Body("batch/v1", "Job", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "pi"), Proto.Time(8, 0))), Proto.Field(2, jobSpec), Proto.Field(3, Proto.Message())));
        var cronSpec = Proto.Message(Proto.Field(1, "*/5 * * * *"), Proto.Field(3, string.Empty), Proto.Field(5, Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "nightly"), Proto.Time(8, 0))), Proto.Field(2, jobSpec))));
        var cron = Proto.Body("batch/v1", "CronJob", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "nightly"), Proto.Time(8, 0))), Proto.Field(2, cronSpec), Proto.Field(3, Proto.Message())));

        var jobResponse = await api.PostProtobufAsync("/apis/batch/v1/namespaces/default/jobs?fieldValidation=Strict", job);
        var cronResponse = await api.PostProtobufAsync("/apis/batch/v1/namespaces/default/cronjobs?fieldValidation=Strict", cron);

        Assert.True(jobResponse.Code == 201, jobResponse.Body);
        var storedJob = KubernetesJson.Deserialize<V1Job>(jobResponse.Body);
        Assert.Equal("Never", storedJob.Spec.Template.Spec.RestartPolicy);
        Assert.Equal(["echo", "hi"], storedJob.Spec.Template.Spec.Containers[0].Command);
        Assert.True(cronResponse.Code == 201, cronResponse.Body);
        var storedCron = KubernetesJson.Deserialize<V1CronJob>(cronResponse.Body);
        Assert.Equal("*/5 * * * *", storedCron.Spec.Schedule);
        Assert.Equal("pi", storedCron.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Name);
    }

    [Fact]
    public async Task Kubectl_create_service_clusterip_keeps_the_target_port_and_no_zero_node_port()
    {
        await using var api = await ApiHost.StartAsync();
        var port = Proto.Message(Proto.Field(1, "80-8080"), Proto.Field(2, "TCP"), Proto.Varint(3, 80), Proto.Field(4, Proto.Message(Proto.Varint(1, 0), Proto.Varint(2, 8080), Proto.Field(3, string.Empty))), Proto.Varint(5, 0));
        var named = Proto.Message(Proto.Field(1, "metrics"), Proto.Field(2, "TCP"), Proto.Varint(3, 9090), Proto.Field(4, Proto.Message(Proto.Varint(1, 1), Proto.Varint(2, 0), Proto.Field(3, "http-metrics"))), Proto.Varint(5, 0));
        var spec = Proto.Message(Proto.Field(1, port), Proto.Field(1, named), Proto.Map(2, "app", "web"), Proto.Field(3, string.Empty), Proto.Field(4, "ClusterIP"));
        var body = Proto.Body("v1", "Service", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "web"), Proto.Map(11, "app", "web"), Proto.Time(8, 0))), Proto.Field(2, spec), Proto.Field(3, Proto.Message(Proto.Field(1, Proto.Message())))));

        var response = await api.PostProtobufAsync("/api/v1/namespaces/default/services?fieldValidation=Strict", body);

        Assert.True(response.Code == 201, response.Body);
        var stored = KubernetesJson.Deserialize<V1Service>(response.Body);
        Assert.Equal("ClusterIP", stored.Spec.Type);
        Assert.Equal(8080, int.Parse(stored.Spec.Ports[0].TargetPort.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(stored.Spec.Ports[0].NodePort);
        Assert.Equal("http-metrics", stored.Spec.Ports[1].TargetPort.Value);
        Assert.Equal("web", stored.Spec.Selector["app"]);
    }

    [Fact]
    public async Task Kubectl_run_pod_with_resources_and_zero_grace_is_understood()
    {
        await using var api = await ApiHost.StartAsync();
        var resources = Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "cpu"), Proto.Field(2, Proto.Message(Proto.Field(1, "500m"))))));
        var container = Proto.Message(Proto.Field(1, "x"), Proto.Field(2, "busybox:test"), Proto.Field(4, "sleep"), Proto.Field(4, "1"), Proto.Field(8, resources), Proto.Field(14, string.Empty));
        var spec = Proto.Message(Proto.Field(2, container), Proto.Field(3, "Never"), Proto.Varint(4, 0), Proto.Field(6, "ClusterFirst"));
        var body = Proto.Body("v1", "Pod", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "x"), Proto.Map(11, "run", "x"), Proto.Time(8, 0))), Proto.Field(2, spec), Proto.Field(3, Proto.Message())));

        var response = await api.PostProtobufAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", body);

        Assert.True(response.Code == 201, response.Body);
        var stored = KubernetesJson.Deserialize<V1Pod>(response.Body);
        Assert.Equal(0, stored.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Never", stored.Spec.RestartPolicy);
        Assert.Equal(["sleep", "1"], stored.Spec.Containers[0].Args);
        Assert.Equal("500m", stored.Spec.Containers[0].Resources.Limits["cpu"].ToString());
        Assert.Equal("x", stored.Metadata.Labels["run"]);
    }

    [Fact]
    public async Task Protobuf_of_a_kind_not_served_is_refused_like_json()
    {
        await using var api = await ApiHost.StartAsync();
        var body = Proto.Body("v1", "PodTemplate", Proto.Message(Proto.Field(1, Proto.Message(Proto.Field(1, "t")))));

        var response = await api.PostProtobufAsync("/api/v1/namespaces/default/pods", body);

        Assert.Equal(400, response.Code);
        Assert.Contains("no kind \"PodTemplate\" is registered", response.Message, StringComparison.Ordinal);
    }
}
