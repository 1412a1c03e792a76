using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Resources;

public class ApplyTests
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string ApplyType = "application/apply-patch+yaml";

    private static string ConfigMapYaml(string value, string? extra = null) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: "{value}"
        {(extra is null ? "" : $"  {extra}: \"yes\"")}
        """;

    private static JsonArray ManagedFields(JsonNode obj) => obj["metadata"]!["managedFields"]!.AsArray();

    [Fact]
    public async Task Apply_creates_an_object_that_does_not_exist_and_records_its_manager()
    {
        await using var api = await ApiHost.StartAsync();

        var created = (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool", ConfigMapYaml("a"), ApplyType)).AssertOk(201).Json;

        Assert.Equal("a", created["data"]!["mode"]!.GetValue<string>());
        var entry = Assert.Single(ManagedFields(created))!;
        Assert.Equal(("tool", "Apply", "v1", "FieldsV1"), (entry["manager"]!.GetValue<string>(), entry["operation"]!.GetValue<string>(), entry["apiVersion"]!.GetValue<string>(), entry["fieldsType"]!.GetValue<string>()));
        Assert.NotNull(entry["fieldsV1"]!["f:data"]!["f:mode"]);
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_400()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.PatchAsync(ConfigMaps + "/settings", ConfigMapYaml("a"), ApplyType)).AssertStatus(400, "BadRequest");

        Assert.Contains("fieldManager", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_records_an_update_entry_and_apply_conflicts_with_it_until_forced()
    {
        await using var api = await ApiHost.StartAsync();
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "settings" }, ["data"] = new JsonObject { ["mode"] = "a" } };
        var created = (await api.PostAsync(ConfigMaps + "?fieldManager=kubectl-client-side-apply", body)).AssertOk(201).Json;

        var conflict = (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool", ConfigMapYaml("b"), ApplyType)).AssertStatus(409, "Conflict");
        var forced = (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool&force=true", ConfigMapYaml("b"), ApplyType)).AssertOk().Json;

        Assert.Equal("Update", ManagedFields(created)[0]!["operation"]!.GetValue<string>());
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.mode", conflict.Message);
        Assert.Equal(".data.mode", conflict.Json["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("FieldManagerConflict", conflict.Json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("b", forced["data"]!["mode"]!.GetValue<string>());
        Assert.Equal(["tool"], ManagedFields(forced).Select(e => e!["manager"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Re_apply_changes_and_removes_what_the_manager_no_longer_applies()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool", ConfigMapYaml("a", "extra"), ApplyType)).AssertOk(201);

        var second = (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool", ConfigMapYaml("b"), ApplyType)).AssertOk().Json;

        Assert.Equal("b", second["data"]!["mode"]!.GetValue<string>());
        Assert.Null(second["data"]!["extra"]);
    }

    [Fact]
    public async Task Managed_fields_are_cleared_with_an_empty_list()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PatchAsync(ConfigMaps + "/settings?fieldManager=tool", ConfigMapYaml("a"), ApplyType)).AssertOk(201);

        var cleared = (await api.PatchAsync(ConfigMaps + "/settings", """{"metadata":{"managedFields":[]}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.Null(cleared["metadata"]!["managedFields"]);
    }
    private const string ReplicaSets = "/apis/apps/v1/namespaces/default/replicasets";

    private static JsonObject ReplicaSet(int replicas) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web"},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                             "spec":{"containers":[{"name":"app","image":"busybox:1.36","command":["sleep","3600"]}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))!.AsObject();

    private static JsonNode? Entry(JsonNode obj, string manager) =>
        ManagedFields(obj).FirstOrDefault(e => e!["manager"]!.GetValue<string>() == manager);

    [Fact]
    public async Task Apply_to_status_changes_status_alone_and_records_an_Apply_entry_with_subresource_status()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync(ReplicaSets + "?fieldManager=creator", ReplicaSet(2))).AssertOk(201);
        const string Status = """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web
            spec:
              replicas: 9
            status:
              replicas: 2
              readyReplicas: 1
            """;

        var applied = (await api.PatchAsync(ReplicaSets + "/web/status?fieldManager=probe", Status, ApplyType)).AssertOk().Json;
        var again = (await api.PatchAsync(ReplicaSets + "/web/status?fieldManager=probe", Status.Replace("readyReplicas: 1", "readyReplicas: 2", StringComparison.Ordinal), ApplyType)).AssertOk().Json;

        Assert.Equal(2, applied["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, applied["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(2, again["status"]!["readyReplicas"]!.GetValue<int>());
        var entry = Entry(again, "probe")!;
        Assert.Equal(("Apply", "status"), (entry["operation"]!.GetValue<string>(), entry["subresource"]!.GetValue<string>()));
        Assert.NotNull(entry["fieldsV1"]!["f:status"]!["f:readyReplicas"]);
        Assert.Null(entry["fieldsV1"]!["f:spec"]);
        Assert.Single(ManagedFields(again), e => e!["manager"]!.GetValue<string>() == "probe");
        Assert.NotNull(Entry(again, "creator"));
    }

    [Fact]
    public async Task Apply_to_the_status_of_an_object_that_does_not_exist_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PatchAsync(ReplicaSets + "/none/status?fieldManager=probe",
            "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: none\nstatus:\n  replicas: 1\n", ApplyType)).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task Apply_to_scale_owns_the_replicas_conflicts_with_their_owner_until_forced_and_answers_a_Scale()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync(ReplicaSets + "?fieldManager=creator", ReplicaSet(2))).AssertOk(201);
        const string Scale = "apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: web\nspec:\n  replicas: 5\n";

        var conflict = (await api.PatchAsync(ReplicaSets + "/web/scale?fieldManager=autoscaler", Scale, ApplyType)).AssertStatus(409, "Conflict");
        var forced = (await api.PatchAsync(ReplicaSets + "/web/scale?fieldManager=autoscaler&force=true", Scale, ApplyType)).AssertOk().Json;
        var stored = (await api.GetAsync(ReplicaSets + "/web")).AssertOk().Json;

        Assert.Equal("Apply failed with 1 conflict: conflict with \"creator\" using apps/v1: .spec.replicas", conflict.Message);
        Assert.Equal(("Scale", 5), (forced["kind"]!.GetValue<string>(), forced["spec"]!["replicas"]!.GetValue<int>()));
        Assert.Equal(5, stored["spec"]!["replicas"]!.GetValue<int>());
        var entry = Entry(stored, "autoscaler")!;
        Assert.Equal(("Apply", "scale", "apps/v1"), (entry["operation"]!.GetValue<string>(), entry["subresource"]!.GetValue<string>(), entry["apiVersion"]!.GetValue<string>()));
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.Null(Entry(stored, "creator")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task Apply_to_scale_with_another_kind_is_400()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync(ReplicaSets, ReplicaSet(2))).AssertOk(201);

        (await api.PatchAsync(ReplicaSets + "/web/scale?fieldManager=autoscaler", "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 5\n", ApplyType))
            .AssertStatus(400, "BadRequest");
    }
}
