using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.Pods;

/// <summary>The <c>eviction</c> subresource of pods (what <c>kubectl drain</c> posts) and the tolerations every new pod gets.</summary>
public class EvictionTests
{
    private const string Url = "/api/v1/namespaces/default/pods/web/eviction";

    private static string Eviction(string name = "web", string apiVersion = "policy/v1", string deleteOptions = "") =>
        $$"""{"apiVersion":"{{apiVersion}}","kind":"Eviction","metadata":{"name":"{{name}}","namespace":"default"}{{deleteOptions}}}""";

    private static async Task<V1Pod?> StoredAsync(ApiHost api, string name = "web") =>
        (V1Pod?)await api.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", name));

    [Fact]
    public async Task An_eviction_answers_201_Success_and_deletes_the_pod_gracefully_marked_as_a_disruption_target()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");

        var response = (await api.PostAsync(Url, Eviction())).AssertOk(201);

        Assert.Equal(("Status", "Success"), (response.Json["kind"]!.GetValue<string>(), response.Json["status"]!.GetValue<string>()));
        var pod = (await StoredAsync(api))!;
        Assert.NotNull(pod.Metadata.DeletionTimestamp);
        Assert.Equal(30, pod.Metadata.DeletionGracePeriodSeconds);
        var target = pod.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "EvictionByEvictionAPI", "Eviction API: evicting"), (target.Status, target.Reason, target.Message));
    }

    [Fact]
    public async Task The_deleteOptions_of_the_eviction_apply_and_the_v1beta1_version_is_understood()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");

        (await api.PostAsync(Url, Eviction(apiVersion: "policy/v1beta1", deleteOptions: ""","deleteOptions":{"gracePeriodSeconds":5}"""))).AssertOk(201);

        Assert.Equal(5, (await StoredAsync(api))!.Metadata.DeletionGracePeriodSeconds);
    }

    [Fact]
    public async Task A_dry_run_eviction_deletes_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");

        (await api.PostAsync(Url, Eviction(deleteOptions: ""","deleteOptions":{"dryRun":["All"]}"""))).AssertOk(201);

        var pod = (await StoredAsync(api))!;
        Assert.Null(pod.Metadata.DeletionTimestamp);
        Assert.DoesNotContain(pod.Status.Conditions ?? [], c => c.Type == "DisruptionTarget");
    }

    [Fact]
    public async Task An_unbound_pod_is_removed_at_once()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        (await api.PostAsync(Url, Eviction())).AssertOk(201);

        Assert.Null(await StoredAsync(api));
    }

    [Fact]
    public async Task Evicting_a_missing_pod_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.PostAsync(Url, Eviction());

        response.AssertStatus(404, "NotFound");
        Assert.Equal("pods \"web\" not found", response.Message);
    }

    [Theory]
    [InlineData("""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"other"}}""", "name in URL does not match name in Eviction object")]
    [InlineData("{}", "name in URL does not match name in Eviction object")]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}}""", "the object provided is unrecognized (must be of type Eviction)")]
    public async Task A_bad_eviction_is_400(string body, string message)
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");

        var response = await api.PostAsync(Url, body);

        response.AssertStatus(400, "BadRequest");
        Assert.StartsWith(message, response.Message, StringComparison.Ordinal);
        Assert.Null((await StoredAsync(api))!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_uid_precondition_that_no_longer_holds_is_409()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");

        var response = await api.PostAsync(Url, Eviction(deleteOptions: ""","deleteOptions":{"preconditions":{"uid":"not-this-one"}}"""));

        response.AssertStatus(409, "Conflict");
    }

    [Fact]
    public async Task The_official_client_evicts_a_pod()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Spec.NodeName = "node-1");
        using var client = api.CreateClient();

        await client.CoreV1.CreateNamespacedPodEvictionAsync(
            new V1Eviction { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" } }, "web", "default");

        Assert.NotNull((await StoredAsync(api))!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Discovery_names_the_policy_v1_Eviction_kind_kubectl_drain_looks_for()
    {
        await using var api = await ApiHost.StartAsync();

        var resources = (await api.GetAsync("/api/v1")).AssertOk().Json["resources"]!.AsArray();

        var eviction = resources.Single(r => r!["name"]!.GetValue<string>() == "pods/eviction")!;
        Assert.Equal(("policy", "v1", "Eviction"), (eviction["group"]!.GetValue<string>(), eviction["version"]!.GetValue<string>(), eviction["kind"]!.GetValue<string>()));
        Assert.Equal(["create"], eviction["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task A_new_pod_tolerates_not_ready_and_unreachable_for_300_seconds_unless_it_says_otherwise()
    {
        await using var api = await ApiHost.StartAsync();

        var plain = await api.CreatePodAsync("plain");
        var own = await api.CreatePodAsync("own", change: p => p.Spec.Tolerations =
            [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 5 }]);

        Assert.Equal(
            ["node.kubernetes.io/not-ready:NoExecute:300", "node.kubernetes.io/unreachable:NoExecute:300"],
            plain.Spec.Tolerations.Select(t => $"{t.Key}:{t.Effect}:{t.TolerationSeconds}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["node.kubernetes.io/not-ready:NoExecute:300", "node.kubernetes.io/unreachable:NoExecute:5"],
            own.Spec.Tolerations.Select(t => $"{t.Key}:{t.Effect}:{t.TolerationSeconds}").Order(StringComparer.Ordinal));
    }
}
