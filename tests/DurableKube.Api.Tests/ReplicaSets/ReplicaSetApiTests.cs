using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tests.ReplicaSets;

/// <summary>The replicasets resource of apps/v1 as kubectl and the C# client use it: the verbs, status, scale and the refusals.</summary>
public sealed class ReplicaSetApiTests
{
    private const string ReplicaSets = "/apis/apps/v1/namespaces/default/replicasets";
    private const string Frontend = ReplicaSets + "/frontend";

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    /// <summary>The docs' frontend ReplicaSet (concepts/workloads/controllers/replicaset), with a command for the process runtime.</summary>
    private static V1ReplicaSet Rs(int? replicas = 3) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = "frontend", Labels = new Dictionary<string, string> { ["app"] = "guestbook", ["tier"] = "frontend" } },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "frontend" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["tier"] = "frontend" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "php-redis", Image = "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5", Command = ["sh", "-c", "sleep 3600"] }] },
            },
        },
    };

    private static async Task<JsonNode> CreateAsync(ApiHost api, V1ReplicaSet? rs = null) =>
        (await api.PostAsync(ReplicaSets, rs ?? Rs())).AssertOk(201).Json;

    private static async Task<V1ReplicaSet> StoredAsync(ApiHost api) =>
        (V1ReplicaSet)(await api.Store.GetAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "frontend")))!;

    [Fact]
    public async Task Create_defaults_the_ReplicaSet_and_get_and_list_return_it()
    {
        await using var api = await ApiHost.StartAsync();

        var created = await CreateAsync(api, Rs(replicas: null));
        var got = (await api.GetAsync(Frontend)).AssertOk().Json;
        var list = (await api.GetAsync(ReplicaSets)).AssertOk().Json;

        Assert.Equal(1, created["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal("Always", Text(created["spec"]!["template"]!["spec"]!["restartPolicy"]));
        Assert.Equal(Text(created["metadata"]!["uid"]), Text(got["metadata"]!["uid"]));
        Assert.Equal(("apps/v1", "ReplicaSet"), (Text(got["apiVersion"]), Text(got["kind"])));
        Assert.Equal(("apps/v1", "ReplicaSetList"), (Text(list["apiVersion"]), Text(list["kind"])));
        Assert.Equal("frontend", Text(list["items"]!.AsArray().Single()!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Get_as_a_Table_shows_kubectls_columns()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var table = (await api.GetAsync(ReplicaSets, ApiHost.TableAccept)).AssertOk().Json;

        Assert.Equal(
            ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"],
            table["columnDefinitions"]!.AsArray().Select(c => Text(c!["name"])));
        var cells = table["rows"]!.AsArray().Single()!["cells"]!.AsArray();
        Assert.Equal("frontend", Text(cells[0]));
        Assert.Equal((3, 0, 0), (cells[1]!.GetValue<int>(), cells[2]!.GetValue<int>(), cells[3]!.GetValue<int>()));
        Assert.Equal(("php-redis", "tier=frontend"), (Text(cells[5]), Text(cells[7])));
    }

    [Fact]
    public async Task A_watch_sees_the_ReplicaSet_added_modified_and_deleted()
    {
        await using var api = await ApiHost.StartAsync();
        await using var watch = await WatchStream.OpenAsync(api, ReplicaSets + "?watch=true");

        await CreateAsync(api);
        var added = await watch.NextAsync();
        (await api.PatchAsync(Frontend, """{"spec":{"replicas":5}}""", "application/merge-patch+json")).AssertOk();
        var modified = await watch.NextAsync();
        (await api.DeleteAsync(Frontend, """{"propagationPolicy":"Background"}""")).AssertOk();
        var events = new List<JsonNode> { await watch.NextAsync() };
        while (Text(events[^1]["type"]) != "DELETED")
        {
            events.Add(await watch.NextAsync());
        }

        Assert.Equal(("ADDED", "ReplicaSet"), (Text(added["type"]), Text(added["object"]!["kind"])));
        Assert.Equal(("MODIFIED", 5), (Text(modified["type"]), modified["object"]!["spec"]!["replicas"]!.GetValue<int>()));
        Assert.Equal("frontend", Text(events[^1]["object"]!["metadata"]!["name"]));
    }

    [Fact]
    public async Task Client_side_apply_creates_then_a_strategic_merge_patch_changes_replicas_and_the_template_as_a_new_generation()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var patched = (await api.PatchAsync(
            Frontend,
            """{"spec":{"replicas":2,"template":{"spec":{"$setElementOrder/containers":[{"name":"php-redis"}],"containers":[{"name":"php-redis","image":"gb-frontend:v6"}]}}}}""",
            "application/strategic-merge-patch+json")).AssertOk().Json;

        Assert.Equal(2, patched["spec"]!["replicas"]!.GetValue<int>());
        var container = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal(("gb-frontend:v6", "sh"), (Text(container["image"]), Text(container["command"]![0])));
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_status_subresource_changes_only_status_and_the_main_resource_only_the_rest()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await CreateAsync(api);
        var rv = Text(created["metadata"]!["resourceVersion"]);

        var status = (await api.PutAsync(Frontend + "/status", $$$"""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"frontend","resourceVersion":"{{{rv}}}"},
             "spec":{"replicas":9},"status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":1,"availableReplicas":1,"observedGeneration":1}}
            """)).AssertOk().Json;
        var main = (await api.PatchAsync(Frontend, """{"status":{"replicas":7}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.Equal((3, 2, 1), (status["spec"]!["replicas"]!.GetValue<int>(), status["status"]!["replicas"]!.GetValue<int>(), status["status"]!["readyReplicas"]!.GetValue<int>()));
        Assert.Equal(2, main["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, (await StoredAsync(api)).Metadata.Generation);
    }

    [Fact]
    public async Task A_status_that_counts_more_ready_than_replicas_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var response = await api.PatchAsync(Frontend + "/status", """{"status":{"replicas":1,"readyReplicas":2}}""", "application/merge-patch+json");

        response.AssertStatus(422, "Invalid");
        Assert.Equal("ReplicaSet.apps \"frontend\" is invalid: status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas", response.Message);
    }

    [Fact]
    public async Task The_scale_subresource_answers_an_autoscaling_v1_Scale()
    {
        await using var api = await ApiHost.StartAsync();
        var created = await CreateAsync(api);
        await api.Registry.UpdateAsync(new ObjectKey(ResourceTypes.ReplicaSets, "default", "frontend"), obj =>
        {
            ((V1ReplicaSet)obj).Status = new V1ReplicaSetStatus { Replicas = 2 };
            return obj;
        }, DurableKube.Registry.UpdateOptions.Status(Text(created["metadata"]!["uid"])));

        var scale = (await api.GetAsync(Frontend + "/scale")).AssertOk().Json;

        Assert.Equal(("autoscaling/v1", "Scale"), (Text(scale["apiVersion"]), Text(scale["kind"])));
        Assert.Equal(("frontend", "default"), (Text(scale["metadata"]!["name"]), Text(scale["metadata"]!["namespace"])));
        Assert.Equal(Text(created["metadata"]!["uid"]), Text(scale["metadata"]!["uid"]));
        Assert.Equal((3, 2, "tier=frontend"), (scale["spec"]!["replicas"]!.GetValue<int>(), scale["status"]!["replicas"]!.GetValue<int>(), Text(scale["status"]!["selector"])));
    }

    [Fact]
    public async Task Kubectl_scale_patches_the_scale_and_the_ReplicaSet_changes()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var scale = (await api.PatchAsync(Frontend + "/scale", """{"spec":{"replicas":5}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.Equal(("Scale", 5), (Text(scale["kind"]), scale["spec"]!["replicas"]!.GetValue<int>()));
        var stored = await StoredAsync(api);
        Assert.Equal((5, 2L), (stored.Spec.Replicas, stored.Metadata.Generation!.Value));
    }

    [Fact]
    public async Task A_put_of_the_scale_without_a_content_type_and_with_the_current_resourceVersion_changes_replicas()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);
        var current = (await api.GetAsync(Frontend + "/scale")).AssertOk().Json;
        current["spec"]!["replicas"] = 1;

        var scale = (await api.SendAsync(HttpMethod.Put, Frontend + "/scale", current.ToJsonString(), contentType: null)).AssertOk().Json;

        Assert.Equal(1, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, (await StoredAsync(api)).Spec.Replicas);

        // The same stale resourceVersion again is a conflict.
        current["spec"]!["replicas"] = 4;
        (await api.PutAsync(Frontend + "/scale", current.ToJsonString())).AssertStatus(409, "Conflict");
    }

    [Fact]
    public async Task A_negative_scale_is_refused_with_the_API_servers_message()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var patch = await api.PatchAsync(Frontend + "/scale", """{"spec":{"replicas":-1}}""", "application/merge-patch+json");
        var put = await api.PutAsync(Frontend + "/scale", """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"frontend"},"spec":{"replicas":-2}}""");

        patch.AssertStatus(422, "Invalid");
        Assert.Equal("Scale.autoscaling \"frontend\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", patch.Message);
        Assert.Equal("spec.replicas", Text(patch.Json["details"]!["causes"]![0]!["field"]));
        put.AssertStatus(422, "Invalid");
        Assert.Equal(3, (await StoredAsync(api)).Spec.Replicas);
    }

    [Fact]
    public async Task The_scale_of_a_missing_ReplicaSet_is_not_found()
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.GetAsync(ReplicaSets + "/nothing/scale");

        response.AssertStatus(404, "NotFound");
        Assert.Equal("replicasets.apps \"nothing\" not found", response.Message);
    }

    [Fact]
    public async Task A_selector_that_does_not_match_the_template_is_refused_with_its_field()
    {
        await using var api = await ApiHost.StartAsync();
        var rs = Rs();
        rs.Spec.Selector.MatchLabels["tier"] = "backend";

        var response = await api.PostAsync(ReplicaSets, rs);

        response.AssertStatus(422, "Invalid");
        Assert.Equal(
            "ReplicaSet.apps \"frontend\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"tier\":\"frontend\"}: `selector` does not match template `labels`",
            response.Message);
        var cause = response.Json["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal(("FieldValueInvalid", "spec.template.metadata.labels"), (Text(cause["reason"]), Text(cause["field"])));
        Assert.Equal(0, await api.CountAsync(ResourceTypes.ReplicaSets));
    }

    [Theory]
    [InlineData("""{"spec":{"replicas":-1}}""", "spec.replicas: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"spec":{"template":{"spec":{"restartPolicy":"Never"}}}}""", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")]
    public async Task An_update_breaking_a_rule_is_refused(string patch, string error)
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var response = await api.PatchAsync(Frontend, patch, "application/merge-patch+json");

        response.AssertStatus(422, "Invalid");
        Assert.Equal($"ReplicaSet.apps \"frontend\" is invalid: {error}", response.Message);
    }

    [Fact]
    public async Task The_selector_is_immutable()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var response = await api.PatchAsync(
            Frontend,
            """{"spec":{"selector":{"matchLabels":{"tier":"frontend","app":"guestbook"}},"template":{"metadata":{"labels":{"tier":"frontend","app":"guestbook"}}}}}""",
            "application/merge-patch+json");

        response.AssertStatus(422, "Invalid");
        Assert.Equal(
            "ReplicaSet.apps \"frontend\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"guestbook\", \"tier\":\"frontend\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            response.Message);
    }

    [Fact]
    public async Task Deleting_in_the_background_removes_the_ReplicaSet_and_orphan_or_foreground_leaves_it_to_the_garbage_collector()
    {
        await using var api = await ApiHost.StartAsync();
        await CreateAsync(api);

        var foreground = (await api.DeleteAsync(Frontend, """{"propagationPolicy":"Foreground"}""")).AssertOk().Json;

        Assert.NotNull(foreground["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", foreground["metadata"]!["finalizers"]!.AsArray().Select(f => Text(f)));

        await using var other = await ApiHost.StartAsync();
        await CreateAsync(other);
        (await other.DeleteAsync(Frontend, """{"propagationPolicy":"Background"}""")).AssertOk();
        (await other.GetAsync(Frontend)).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task The_CSharp_client_creates_reads_and_patches_the_scale()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        var rs = Rs();
        rs.ApiVersion = null;
        rs.Kind = null;

        await client.AppsV1.CreateNamespacedReplicaSetAsync(rs, "default");
        var scale = await client.AppsV1.PatchNamespacedReplicaSetScaleAsync(
            new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "frontend", "default");
        var read = await client.AppsV1.ReadNamespacedReplicaSetScaleAsync("frontend", "default");
        var status = await client.AppsV1.ReadNamespacedReplicaSetStatusAsync("frontend", "default");
        var deleted = await client.AppsV1.DeleteNamespacedReplicaSetAsync("frontend", "default");

        Assert.Equal((4, 4, 4), (scale.Spec.Replicas!.Value, read.Spec.Replicas!.Value, status.Spec.Replicas!.Value));
        Assert.Equal("tier=frontend", read.Status.Selector);
        Assert.Equal("Success", deleted.Status);
    }
}
