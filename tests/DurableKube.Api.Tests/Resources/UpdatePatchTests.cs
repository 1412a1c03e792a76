using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.Resources;

public class UpdatePatchTests
{
    private const string Web = "/api/v1/namespaces/default/pods/web";
    private const string Smp = "application/strategic-merge-patch+json";

    private static async Task<V1Pod> StoredAsync(ApiHost api) =>
        (V1Pod)(await api.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web")))!;

    [Fact]
    public async Task Put_with_a_stale_resource_version_is_a_conflict()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        await api.SetPodAsync("web", p => p.Metadata.Labels["x"] = "y");
        pod.Spec.Containers[0].Image = "nginx:1.28";

        var response = (await api.PutAsync(Web, pod)).AssertStatus(409, "Conflict");

        Assert.Equal("Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes to the latest version and try again", response.Message);
        Assert.Equal("nginx:1.27", (await StoredAsync(api)).Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Put_changes_the_image_counts_a_generation_and_keeps_status()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        await api.SetPodAsync("web", p => p.Status.Phase = "Running");
        pod = await StoredAsync(api);
        pod.Spec.Containers[0].Image = "nginx:1.28";
        pod.Status.Phase = "Failed";

        var updated = KubernetesJson.Deserialize<V1Pod>((await api.PutAsync(Web, pod)).AssertOk().Body);

        Assert.Equal("nginx:1.28", updated.Spec.Containers[0].Image);
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal(pod.Metadata.Uid, updated.Metadata.Uid);
    }

    [Fact]
    public async Task Put_without_a_resource_version_is_unconditional()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        await api.SetPodAsync("web", p => p.Metadata.Annotations = new Dictionary<string, string> { ["a"] = "b" });
        pod.Metadata.ResourceVersion = null;
        pod.Metadata.Labels["extra"] = "yes";

        var updated = (await api.PutAsync(Web, pod)).AssertOk().Json;

        Assert.Equal("yes", updated["metadata"]!["labels"]!["extra"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_no_op_put_writes_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        var before = await api.Store.GetResourceVersionAsync();

        var response = (await api.PutAsync(Web, pod)).AssertOk();

        Assert.Equal(before, await api.Store.GetResourceVersionAsync());
        Assert.Equal(pod.Metadata.ResourceVersion, response.Json["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forbidden_pod_spec_changes_are_422()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        pod.Spec.RestartPolicy = "Never";

        var response = (await api.PutAsync(Web, pod)).AssertStatus(422, "Invalid");

        Assert.StartsWith("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,", response.Message, StringComparison.Ordinal);
        Assert.Contains("spec.restartPolicy: \"Always\" -> \"Never\"", response.Message, StringComparison.Ordinal);
        Assert.Equal("Always", (await StoredAsync(api)).Spec.RestartPolicy);
    }

    [Theory]
    [InlineData("other", "default", "the name of the object (other) does not match the name on the URL (web)")]
    [InlineData("web", "kube-system", "the namespace of the object (kube-system) does not match the namespace on the request (default)")]
    public async Task Put_must_name_the_object_of_the_url(string name, string ns, string message)
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        pod.Metadata.Name = name;
        pod.Metadata.NamespaceProperty = ns;

        var response = (await api.PutAsync(Web, pod)).AssertStatus(400, "BadRequest");

        Assert.Equal(message, response.Message);
    }

    [Fact]
    public async Task Put_of_a_missing_object_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PutAsync(Web, ApiHost.Pod("web"))).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task The_status_subresource_changes_only_status()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");
        pod.Status.Phase = "Running";
        pod.Status.PodIP = "10.1.0.7";
        pod.Spec.Containers[0].Image = "changed";
        pod.Metadata.Labels["sneaky"] = "yes";

        var updated = KubernetesJson.Deserialize<V1Pod>((await api.PutAsync(Web + "/status", pod)).AssertOk().Body);
        var status = (await api.GetAsync(Web + "/status")).AssertOk().Json;

        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal("10.1.0.7", updated.Status.PodIP);
        Assert.Equal("nginx:1.27", updated.Spec.Containers[0].Image);
        Assert.False(updated.Metadata.Labels.ContainsKey("sneaky"));
        Assert.Equal("Running", status["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_status_patch_changes_only_status()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var updated = (await api.PatchAsync(Web + "/status", """{"status":{"phase":"Running"},"spec":{"nodeName":"x"}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.Equal("Running", updated["status"]!["phase"]!.GetValue<string>());
        Assert.Null(updated["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Kubectl_apply_creates_then_patches_with_a_strategic_merge_patch()
    {
        await using var api = await ApiHost.StartAsync();
        const string lastApplied = "kubectl.kubernetes.io/last-applied-configuration";
        var pod = ApiHost.Pod("web");
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox:1.36" });
        pod.Metadata.Annotations = new Dictionary<string, string> { [lastApplied] = KubernetesJson.Serialize(pod) };

        (await api.GetAsync(Web)).AssertStatus(404, "NotFound");
        (await api.PostAsync("/api/v1/namespaces/default/pods?fieldManager=kubectl-client-side-apply&fieldValidation=Strict", pod)).AssertOk(201);
        var patch = """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},"labels":{"app":null,"tier":"front"}},
             "spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                     "containers":[{"image":"nginx:1.28","name":"app"}]}}
            """;
        var patched = (await api.PatchAsync(Web + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict", patch, Smp)).AssertOk().Json;

        Assert.Equal("nginx:1.28", patched["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("busybox:1.36", patched["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Null(patched["metadata"]!["labels"]!["app"]);
        Assert.Equal("front", patched["metadata"]!["labels"]!["tier"]!.GetValue<string>());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_strategic_merge_patch_may_not_remove_a_container()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" }));

        var response = (await api.PatchAsync(Web, """{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}]}}""", Smp)).AssertStatus(422, "Invalid");

        Assert.Equal("Pod \"web\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers", response.Message);
    }

    [Fact]
    public async Task A_merge_patch_changes_labels()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var patched = (await api.PatchAsync(Web, """{"metadata":{"labels":{"env":"prod"}}}""", "application/merge-patch+json; charset=utf-8")).AssertOk().Json;

        Assert.Equal("prod", patched["metadata"]!["labels"]!["env"]!.GetValue<string>());
        Assert.Equal("web", patched["metadata"]!["labels"]!["app"]!.GetValue<string>());
        Assert.Equal(1, patched["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_json_patch_applies_operations_and_a_failed_test_is_422()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var patched = (await api.PatchAsync(Web, """[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:2"}]""", "application/json-patch+json")).AssertOk().Json;
        var failed = (await api.PatchAsync(Web, """[{"op":"test","path":"/spec/containers/0/image","value":"nope"},{"op":"replace","path":"/spec/containers/0/image","value":"x"}]""", "application/json-patch+json")).AssertStatus(422, "Invalid");

        Assert.Equal("nginx:2", patched["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("nginx:2", (await StoredAsync(api)).Spec.Containers[0].Image);
        Assert.NotNull(failed.Message);
    }

    [Fact]
    public async Task A_patch_carrying_a_stale_resource_version_is_a_conflict()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        (await api.PatchAsync(Web, """{"metadata":{"resourceVersion":"1","labels":{"a":"b"}}}""", "application/merge-patch+json")).AssertStatus(409, "Conflict");
    }

    [Fact]
    public async Task Server_side_apply_of_a_json_body_with_the_live_values_shares_the_fields_without_conflict()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var applied = (await api.PatchAsync(Web + "?fieldManager=kubectl&fieldValidation=Strict&force=false", KubernetesJson.Serialize(ApiHost.Pod("web")), "application/apply-patch+yaml")).AssertOk().Json;

        var managers = applied["metadata"]!["managedFields"]!.AsArray().Select(e => (e!["manager"]!.GetValue<string>(), e["operation"]!.GetValue<string>())).ToList();
        Assert.Contains(("kubectl", "Apply"), managers);
        Assert.Equal(2, managers.Count);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Other_patch_types_are_415(string contentType)
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.PatchAsync(Web, "{}", contentType)).AssertStatus(415, "UnsupportedMediaType");

        Assert.StartsWith("the body of the request was in an unknown format - accepted media types include: application/json-patch+json", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_patch_is_400_and_changes_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var before = await api.CreatePodAsync("web");

        (await api.PatchAsync(Web, "{not json", "application/merge-patch+json")).AssertStatus(400, "BadRequest");

        Assert.Equal(before.Metadata.ResourceVersion, (await StoredAsync(api)).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_patch_adding_an_unknown_field_is_refused_when_strict()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.PatchAsync(Web + "?fieldValidation=Strict", """{"spec":{"bogus":true}}""", "application/merge-patch+json")).AssertStatus(400, "BadRequest");

        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.bogus\"", response.Message);
    }

    [Fact]
    public async Task Patch_of_a_missing_object_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PatchAsync(Web, "{}", "application/merge-patch+json")).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task A_patch_retries_when_another_writer_got_there_first()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        var tasks = Enumerable.Range(0, 8).Select(i => api.PatchAsync(Web, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k" + i] = "v" } } }.ToJsonString(), "application/merge-patch+json")).ToList();

        foreach (var response in await Task.WhenAll(tasks))
        {
            response.AssertOk();
        }

        var labels = (await StoredAsync(api)).Metadata.Labels;
        Assert.All(Enumerable.Range(0, 8), i => Assert.True(labels.ContainsKey("k" + i)));
    }
}
