using System.Text;
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
    private static readonly byte[] EmptyMeta = P.Msg(P.F(1, string.Empty), P.F(2, string.Empty), P.F(3, string.Empty), P.Time(8, 0));

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
        var container = P.Msg(P.F(1, "busybox"), P.F(2, "busybox:test"), P.F(3, "sleep"), P.F(3, "3600"), P.F(5, string.Empty), P.F(8, P.Msg()), P.F(14, string.Empty));
        var template = P.Msg(P.F(1, P.Msg(P.F(1, string.Empty), P.Map(11, "app", "web"), P.Time(8, 0))), P.F(2, P.Msg(P.F(2, container), P.F(3, string.Empty), P.V(4, 0))));
        var spec = P.Msg(P.V(1, 1), P.F(2, P.Msg(P.Map(1, "app", "web"))), P.F(3, template), P.F(4, P.Msg(P.F(1, string.Empty))), P.V(5, 0), P.V(7, 0));
        var body = P.Body("apps/v1", "Deployment", P.Msg(P.F(1, P.Msg(P.F(1, "web"), P.Map(11, "app", "web"), P.Time(8, 0))), P.F(2, spec), P.F(3, P.Msg())));

        var response = await PostAsync(api, "/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict", body);

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
        var podSpec = P.Msg(P.F(2, P.Msg(P.F(1, "pi"), P.F(2, "busybox:test"), P.F(3, "echo"), P.F(3, "hi"), P.F(8, P.Msg()))), P.F(3, "Never"));
        var jobSpec = P.Msg(P.F(6, P.Msg(P.F(1, P.Msg(P.Time(8, 0))), P.F(2, podSpec))));
        var job = P.Body("batch/v1", "Job", P.Msg(P.F(1, P.Msg(P.F(1, "pi"), P.Time(8, 0))), P.F(2, jobSpec), P.F(3, P.Msg())));
        var cronSpec = P.Msg(P.F(1, "*/5 * * * *"), P.F(3, string.Empty), P.F(5, P.Msg(P.F(1, P.Msg(P.F(1, "nightly"), P.Time(8, 0))), P.F(2, jobSpec))));
        var cron = P.Body("batch/v1", "CronJob", P.Msg(P.F(1, P.Msg(P.F(1, "nightly"), P.Time(8, 0))), P.F(2, cronSpec), P.F(3, P.Msg())));

        var jobResponse = await PostAsync(api, "/apis/batch/v1/namespaces/default/jobs?fieldValidation=Strict", job);
        var cronResponse = await PostAsync(api, "/apis/batch/v1/namespaces/default/cronjobs?fieldValidation=Strict", cron);

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
        var port = P.Msg(P.F(1, "80-8080"), P.F(2, "TCP"), P.V(3, 80), P.F(4, P.Msg(P.V(1, 0), P.V(2, 8080), P.F(3, string.Empty))), P.V(5, 0));
        var named = P.Msg(P.F(1, "metrics"), P.F(2, "TCP"), P.V(3, 9090), P.F(4, P.Msg(P.V(1, 1), P.V(2, 0), P.F(3, "http-metrics"))), P.V(5, 0));
        var spec = P.Msg(P.F(1, port), P.F(1, named), P.Map(2, "app", "web"), P.F(3, string.Empty), P.F(4, "ClusterIP"));
        var body = P.Body("v1", "Service", P.Msg(P.F(1, P.Msg(P.F(1, "web"), P.Map(11, "app", "web"), P.Time(8, 0))), P.F(2, spec), P.F(3, P.Msg(P.F(1, P.Msg())))));

        var response = await PostAsync(api, "/api/v1/namespaces/default/services?fieldValidation=Strict", body);

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
        var resources = P.Msg(P.F(1, P.Msg(P.F(1, "cpu"), P.F(2, P.Msg(P.F(1, "500m"))))));
        var container = P.Msg(P.F(1, "x"), P.F(2, "busybox:test"), P.F(4, "sleep"), P.F(4, "1"), P.F(8, resources), P.F(14, string.Empty));
        var spec = P.Msg(P.F(2, container), P.F(3, "Never"), P.V(4, 0), P.F(6, "ClusterFirst"));
        var body = P.Body("v1", "Pod", P.Msg(P.F(1, P.Msg(P.F(1, "x"), P.Map(11, "run", "x"), P.Time(8, 0))), P.F(2, spec), P.F(3, P.Msg())));

        var response = await PostAsync(api, "/api/v1/namespaces/default/pods?fieldValidation=Strict", body);

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
        var body = P.Body("v1", "PodTemplate", P.Msg(P.F(1, P.Msg(P.F(1, "t")))));

        var response = await PostAsync(api, "/api/v1/namespaces/default/pods", body);

        Assert.Equal(400, response.Code);
        Assert.Contains("no kind \"PodTemplate\" is registered", response.Message, StringComparison.Ordinal);
    }

    private static async Task<ApiResponse> PostAsync(ApiHost api, string url, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/vnd.kubernetes.protobuf");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await api.Client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString(), response.Headers);
    }

    /// <summary>Writes protobuf as Go's generated marshallers do.</summary>
    private static class P
    {
        public static byte[] Body(string apiVersion, string kind, byte[] raw) =>
            [0x6b, 0x38, 0x73, 0x00, .. F(1, Msg(F(1, apiVersion), F(2, kind))), .. F(2, raw), .. F(3, string.Empty), .. F(4, string.Empty)];

        public static byte[] Msg(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

        public static byte[] F(int number, string text) => F(number, Encoding.UTF8.GetBytes(text));

        public static byte[] F(int number, byte[] bytes) => [.. Tag(number, 2), .. Varint((ulong)bytes.Length), .. bytes];

        public static byte[] V(int number, long value) => [.. Tag(number, 0), .. Varint((ulong)value)];

        public static byte[] Map(int number, string key, string value) => F(number, Msg(F(1, key), F(2, value)));

        public static byte[] Time(int number, long seconds) => F(number, Msg(V(1, seconds), V(2, 0)));

        private static byte[] Tag(int number, int wire) => Varint((ulong)((number << 3) | wire));

        private static byte[] Varint(ulong value)
        {
            var bytes = new List<byte>();
            do
            {
                var b = (byte)(value & 0x7f);
                value >>= 7;
                bytes.Add(value == 0 ? b : (byte)(b | 0x80));
            }
            while (value != 0);
            return [.. bytes];
        }
    }
}
