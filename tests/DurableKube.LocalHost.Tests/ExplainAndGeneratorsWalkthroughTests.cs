using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The real kubectl reading the OpenAPI schemas (<c>kubectl explain</c> at any depth and for every kind group,
/// validation of unknown fields) and posting protobuf bodies from its imperative generators
/// (<c>kubectl create deployment|job|cronjob|service</c>, <c>kubectl run</c>).
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class ExplainAndGeneratorsWalkthroughTests(LocalHostFixture host)
{
    [Theory]
    [InlineData("pod.spec.containers.livenessProbe", "KIND:\\s+Pod", "FIELD:\\s+livenessProbe <Probe>", "Periodic probe of container liveness")]
    [InlineData("pod.spec", "KIND:\\s+Pod", "FIELD:\\s+spec <PodSpec>", "containers\\s+<\\[\\]Container> -required-")]
    [InlineData("deployment.spec.template.spec.containers.ports", "GROUP:\\s+apps", "FIELD:\\s+ports <\\[\\]ContainerPort>", "containerPort\\s+<integer> -required-")]
    [InlineData("cronjob.spec", "GROUP:\\s+batch", "schedule\\s+<string> -required-", "jobTemplate\\s+<JobTemplateSpec> -required-")]
    [InlineData("job.spec.backoffLimit", "KIND:\\s+Job", "FIELD:\\s+backoffLimit <integer>", "Specifies the number of retries")]
    // An IntOrString field refers to kube-apiserver's IntOrString schema (type string, format int-or-string), whose
    // primitive type kubectl 1.32 prints.
    [InlineData("service.spec.ports.targetPort", "KIND:\\s+Service", "FIELD:\\s+targetPort <string>", "Number or name of the port")]
    [InlineData("configmap.data", "KIND:\\s+ConfigMap", "FIELD:\\s+data <map\\[string\\]string>", "Data contains the configuration data")]
    [InlineData("secret", "KIND:\\s+Secret", "Secret holds secret data", "stringData\\s+<map\\[string\\]string>")]
    [InlineData("endpointslice.endpoints", "GROUP:\\s+discovery.k8s.io", "FIELD:\\s+endpoints <\\[\\]Endpoint>", "addresses\\s+<\\[\\]string> -required-")]
    [InlineData("statefulset.spec.volumeClaimTemplates", "GROUP:\\s+apps", "<\\[\\]PersistentVolumeClaim>", "volumeClaimTemplates is a list of claims")]
    public async Task Kubectl_explain_prints_kubernetes_field_documentation(string path, params string[] patterns)
    {
        var output = await host.KubectlOkAsync("explain", path);

        foreach (var pattern in patterns)
        {
            Assert.Matches(pattern, output);
        }
    }

    [Fact]
    public async Task Kubectl_explain_recursive_lists_nested_fields()
    {
        var output = await host.KubectlOkAsync("explain", "pod.spec.containers", "--recursive");

        Assert.Matches(@"(?m)^\s+livenessProbe\s+<Probe>$", output);
        Assert.Matches(@"(?m)^\s+httpGet\s+<HTTPGetAction>$", output);
        Assert.Matches(@"(?m)^\s+port\s+<string> -required-$", output);
    }

    [Fact]
    public async Task Unknown_fields_fail_with_validate_strict_and_warn_with_validate_warn()
    {
        var ns = E2E.UniqueNamespace("val");
        await E2E.CreateNamespaceAsync(host, ns);
        string Manifest(string name) => E2E.Manifest(host, $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}
              namespace: {ns}
            data:
              k: v
            foo: bar
            """);

        var strict = await host.KubectlAsync("apply", "--validate=strict", "-f", Manifest("strict"));
        var warn = await host.KubectlAsync("apply", "--validate=warn", "-f", Manifest("warn"));

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("unknown field \"foo\"", strict.Output, StringComparison.Ordinal);
        Assert.Equal(0, warn.ExitCode);
        Assert.Contains("Warning: unknown field \"foo\"", warn.Output, StringComparison.Ordinal);
        Assert.Equal("v", (await host.KubectlOkAsync("get", "configmap", "warn", "-n", ns, "-o", "jsonpath={.data.k}")).Trim());
    }

    [Fact]
    public async Task Kubectl_create_generators_and_run_post_protobuf_that_is_decoded()
    {
        var ns = E2E.UniqueNamespace("gen");
        await E2E.CreateNamespaceAsync(host, ns);

        await host.KubectlOkAsync("create", "deployment", "web", "-n", ns, "--image=busybox:test", "--", "sleep", "3600");
        await host.KubectlOkAsync("create", "job", "once", "-n", ns, "--image=busybox:test", "--", "echo", "hi");
        await host.KubectlOkAsync("create", "cronjob", "nightly", "-n", ns, "--image=busybox:test", "--schedule=*/5 * * * *", "--", "echo", "hi");
        await host.KubectlOkAsync("create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080");
        await host.KubectlOkAsync("run", "x", "-n", ns, "--image=busybox:test", "--restart=Never", "--labels=team=a", "--", "sleep", "1");

        var deployment = await JsonAsync(ns, "deployment", "web");
        var container = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        Assert.Equal(("busybox", "busybox:test"), (container.GetProperty("name").GetString(), container.GetProperty("image").GetString()));
        Assert.Equal(["sleep", "3600"], container.GetProperty("command").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, deployment.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("web", deployment.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetProperty("app").GetString());

        var job = await JsonAsync(ns, "job", "once");
        Assert.Equal("Never", job.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal(["echo", "hi"], job.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0].GetProperty("command").EnumerateArray().Select(e => e.GetString()));

        var cron = await JsonAsync(ns, "cronjob", "nightly");
        Assert.Equal("*/5 * * * *", cron.GetProperty("spec").GetProperty("schedule").GetString());
        Assert.Equal("OnFailure", cron.GetProperty("spec").GetProperty("jobTemplate").GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("restartPolicy").GetString());

        var service = await JsonAsync(ns, "service", "web");
        var port = service.GetProperty("spec").GetProperty("ports")[0];
        Assert.Equal((80, 8080, "TCP"), (port.GetProperty("port").GetInt32(), port.GetProperty("targetPort").GetInt32(), port.GetProperty("protocol").GetString()));
        Assert.False(port.TryGetProperty("nodePort", out _));
        Assert.Equal("ClusterIP", service.GetProperty("spec").GetProperty("type").GetString());

        var pod = await JsonAsync(ns, "pod", "x");
        Assert.Equal("Never", pod.GetProperty("spec").GetProperty("restartPolicy").GetString());
        Assert.Equal(["sleep", "1"], pod.GetProperty("spec").GetProperty("containers")[0].GetProperty("args").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("a", pod.GetProperty("metadata").GetProperty("labels").GetProperty("team").GetString());
    }

    private async Task<JsonElement> JsonAsync(string ns, string kind, string name) =>
        JsonDocument.Parse(await host.KubectlOkAsync("get", kind, name, "-n", ns, "-o", "json")).RootElement;
}
