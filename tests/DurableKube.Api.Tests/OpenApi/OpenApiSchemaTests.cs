using System.Text.Json.Nodes;
using DurableKube.Api.OpenApi;
using DurableKube.Api.Tests.Support;
using k8s.Models;

namespace DurableKube.Api.Tests.OpenApi;

/// <summary>The schemas generated from the model types, and the documents that serve them.</summary>
public sealed class OpenApiSchemaTests
{
    private static readonly SortedDictionary<string, JsonObject> V3 = new OpenApiSchemas(v3: true).Closure([typeof(V1Pod), typeof(V1Deployment), typeof(V1Service), typeof(V1Secret), typeof(V1CronJob), typeof(V1EndpointSlice)]);

    [Theory]
    [InlineData(typeof(V1Pod), "io.k8s.api.core.v1.Pod")]
    [InlineData(typeof(V1PodSpec), "io.k8s.api.core.v1.PodSpec")]
    [InlineData(typeof(V1ObjectMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData(typeof(V1LabelSelector), "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")]
    [InlineData(typeof(V1DeploymentSpec), "io.k8s.api.apps.v1.DeploymentSpec")]
    [InlineData(typeof(V1PodTemplateSpec), "io.k8s.api.core.v1.PodTemplateSpec")]
    [InlineData(typeof(V1JobTemplateSpec), "io.k8s.api.batch.v1.JobTemplateSpec")]
    [InlineData(typeof(Discoveryv1EndpointPort), "io.k8s.api.discovery.v1.EndpointPort")]
    [InlineData(typeof(Corev1EndpointPort), "io.k8s.api.core.v1.EndpointPort")]
    [InlineData(typeof(IntOrString), "io.k8s.apimachinery.pkg.util.intstr.IntOrString")]
    [InlineData(typeof(ResourceQuantity), "io.k8s.apimachinery.pkg.api.resource.Quantity")]
    public void Schemas_are_named_as_kubernetes_names_them(Type type, string name) =>
        Assert.Equal(name, OpenApiSchemas.NameOf(type));

    [Theory]
    [InlineData("io.k8s.api.core.v1.Pod", "x-kubernetes-group-version-kind", "[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]")]
    [InlineData("io.k8s.api.apps.v1.Deployment", "x-kubernetes-group-version-kind", "[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "required", "[\"containers\"]")]
    [InlineData("io.k8s.api.core.v1.Container", "required", "[\"name\"]")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.type", "\"array\"")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.items", "{\"allOf\":[{\"$ref\":\"#/components/schemas/io.k8s.api.core.v1.Container\"}],\"default\":{}}")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.x-kubernetes-patch-merge-key", "\"name\"")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.x-kubernetes-patch-strategy", "\"merge\"")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.x-kubernetes-list-type", "\"map\"")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.containers.x-kubernetes-list-map-keys", "[\"name\"]")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.volumes.x-kubernetes-patch-strategy", "\"merge,retainKeys\"")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.nodeSelector", "{\"additionalProperties\":{\"type\":\"string\"},\"type\":\"object\",\"description\":\"NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\\u0027s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/\"}")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "properties.terminationGracePeriodSeconds.format", "\"int64\"")]
    [InlineData("io.k8s.api.core.v1.Container", "properties.livenessProbe.allOf", "[{\"$ref\":\"#/components/schemas/io.k8s.api.core.v1.Probe\"}]")]
    [InlineData("io.k8s.api.core.v1.ContainerPort", "properties.containerPort.type", "\"integer\"")]
    [InlineData("io.k8s.api.core.v1.ServicePort", "properties.targetPort.allOf", "[{\"$ref\":\"#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString\"}]")]
    [InlineData("io.k8s.apimachinery.pkg.util.intstr.IntOrString", "format", "\"int-or-string\"")]
    [InlineData("io.k8s.api.core.v1.ResourceRequirements", "properties.limits.additionalProperties", "{\"$ref\":\"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity\"}")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "properties.creationTimestamp.format", "\"date-time\"")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "properties.finalizers.x-kubernetes-list-type", "\"set\"")]
    [InlineData("io.k8s.api.core.v1.Secret", "properties.data.additionalProperties", "{\"format\":\"byte\",\"type\":\"string\"}")]
    [InlineData("io.k8s.api.batch.v1.CronJobSpec", "required", "[\"jobTemplate\",\"schedule\"]")]
    public void Schemas_have_kubernetes_fragments(string schema, string path, string json)
    {
        JsonNode? node = V3[schema];
        foreach (var part in path.Split('.', 2) is [var first, var rest] && first == "properties" ? ["properties", .. rest.Split('.', 2)] : path.Split('.'))
        {
            node = node?[part];
        }

        Assert.Equal(json, node?.ToJsonString());
    }

    [Fact]
    public void Descriptions_come_from_the_kubernetes_documentation()
    {
        var probe = V3["io.k8s.api.core.v1.Container"]["properties"]!["livenessProbe"]!["description"]!.GetValue<string>();

        Assert.StartsWith("Periodic probe of container liveness. Container will be restarted if the probe fails.", probe, StringComparison.Ordinal);
        Assert.Equal("PodSpec is a description of a pod.", V3["io.k8s.api.core.v1.PodSpec"]["description"]!.GetValue<string>());
    }

    [Fact]
    public void Every_reference_resolves_within_the_closure()
    {
        foreach (var (name, schema) in V3)
        {
            foreach (var reference in References(schema))
            {
                Assert.True(V3.ContainsKey(reference["#/components/schemas/".Length..]), $"{name} refers to {reference}, which is missing");
            }
        }
    }

    [Fact]
    public async Task Group_version_documents_carry_the_schemas_of_their_kinds()
    {
        await using var api = await ApiHost.StartAsync();

        var index = (await api.GetAsync("/openapi/v3")).AssertOk().Json;
        var apps = (await api.GetAsync(index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>())).AssertOk();
        var core = (await api.GetAsync("/openapi/v3/api/v1")).AssertOk();

        var schemas = apps.Json["components"]!["schemas"]!;
        Assert.NotNull(schemas["io.k8s.api.apps.v1.Deployment"]);
        Assert.NotNull(schemas["io.k8s.api.apps.v1.StatefulSet"]);
        Assert.NotNull(schemas["io.k8s.api.core.v1.PodSpec"]);
        Assert.NotNull(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
        Assert.Null(schemas["io.k8s.api.batch.v1.Job"]);
        foreach (var kind in (string[])["Pod", "Service", "ConfigMap", "Secret", "Namespace", "Node", "Endpoints"])
        {
            Assert.NotNull(core.Json["components"]!["schemas"]!["io.k8s.api.core.v1." + kind]);
        }

        Assert.Equal("public, immutable", apps.Headers.CacheControl?.ToString());
        Assert.NotNull(apps.Headers.ETag);
    }

    [Fact]
    public async Task An_old_hash_is_sent_to_the_current_document_and_an_unchanged_one_is_304()
    {
        await using var api = await ApiHost.StartAsync();
        var url = (await api.GetAsync("/openapi/v3")).AssertOk().Json["paths"]!["apis/batch/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var etag = (await api.GetAsync(url)).AssertOk().Headers.ETag!.Tag;

        using var old = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/apis/batch/v1?hash=0123");
        using var oldResponse = await api.Client.SendAsync(old);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var againResponse = await api.Client.SendAsync(again);

        Assert.Equal(301, (int)oldResponse.StatusCode);
        Assert.Equal(url, oldResponse.Headers.Location!.OriginalString);
        Assert.Equal(304, (int)againResponse.StatusCode);
    }

    [Fact]
    public async Task Openapi_v2_json_has_definitions_with_v2_references()
    {
        await using var api = await ApiHost.StartAsync();

        var definitions = (await api.GetAsync("/openapi/v2")).AssertOk().Json["definitions"]!;

        Assert.Equal("#/definitions/io.k8s.api.core.v1.PodSpec", definitions["io.k8s.api.core.v1.Pod"]!["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        Assert.Equal("Job", definitions["io.k8s.api.batch.v1.Job"]!["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>());
        Assert.NotNull(definitions["io.k8s.api.discovery.v1.EndpointSlice"]);
        Assert.Equal("[\"containers\"]", definitions["io.k8s.api.core.v1.PodSpec"]!["required"]!.ToJsonString());
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };
}
