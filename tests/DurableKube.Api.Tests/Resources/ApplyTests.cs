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
}
