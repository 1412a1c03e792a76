using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Domain.Apply;
using k8s.Models;

namespace DurableKube.Domain.Tests.Apply;

public class FieldManagerTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 7, 0, 0, DateTimeKind.Utc);

    private static JsonObject Deployment(int replicas = 2, string image = "nginx:1.27", string? label = null)
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """)!.AsObject();
        obj["spec"]!["replicas"] = replicas;
        obj["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        if (label is not null)
        {
            obj["metadata"]!["labels"] = new JsonObject { [label] = "x" };
        }

        return obj;
    }

    private static List<V1ManagedFieldsEntry> Entries(JsonObject obj) =>
        obj["metadata"]?["managedFields"] is JsonArray a ? [.. a.Select(e => e!.Deserialize<V1ManagedFieldsEntry>(Serialization.KubeJson.Options)!)] : [];

    [Fact]
    public void An_applied_configuration_owns_its_leaves_and_list_items_in_fieldsV1()
    {
        var result = FieldManager.Apply(null, Deployment(), typeof(V1Deployment), "kubectl", force: false, Now);

        var entry = Assert.Single(Entries(result.Object));
        Assert.Equal(("kubectl", "Apply", "apps/v1", "FieldsV1"), (entry.Manager, entry.Operation, entry.ApiVersion, entry.FieldsType));
        Assert.Equal(
            """{"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            FieldManager.SetOf(entry).ToFieldsV1().ToJsonString(FieldSet.CompactJson));
    }

    [Theory]
    [InlineData(new[] { "f:spec", "f:replicas" }, ".spec.replicas")]
    [InlineData(new[] { "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image" }, ".spec.containers[name=\"web\"].image")]
    [InlineData(new[] { "f:metadata", "f:finalizers", "v:\"x\"" }, ".metadata.finalizers[=\"x\"]")]
    [InlineData(new[] { "f:spec", "f:args", "i:0" }, ".spec.args[0]")]
    public void Paths_print_as_structured_merge_diff_prints_them(string[] path, string expected) =>
        Assert.Equal(expected, FieldSet.Render(path));

    [Fact]
    public void FieldsV1_round_trips()
    {
        var fields = JsonNode.Parse("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":{".":{},"f:name":{}}}}}""");

        var set = FieldSet.FromFieldsV1(fields);

        Assert.Equal(4, set.Count);
        Assert.Equal(fields!.ToJsonString(FieldSet.CompactJson), set.ToFieldsV1().ToJsonString(FieldSet.CompactJson));
    }

    [Fact]
    public void Re_applying_a_change_merges_it_without_conflict()
    {
        var first = FieldManager.Apply(null, Deployment(), typeof(V1Deployment), "kubectl", false, Now).Object;

        var second = FieldManager.Apply(first, Deployment(replicas: 3, image: "nginx:1.28"), typeof(V1Deployment), "kubectl", false, Now).Object;

        Assert.Equal(3, second["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("nginx:1.28", second["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Single(Entries(second));
    }

    [Fact]
    public void A_field_the_applier_stops_applying_is_removed_unless_another_manager_owns_it()
    {
        var labelled = FieldManager.Apply(null, Deployment(label: "team"), typeof(V1Deployment), "kubectl", false, Now).Object;

        var removed = FieldManager.Apply(labelled, Deployment(), typeof(V1Deployment), "kubectl", false, Now).Object;
        var sharedWithOther = FieldManager.Apply(labelled, Deployment(label: "team"), typeof(V1Deployment), "other", false, Now).Object;
        var kept = FieldManager.Apply(sharedWithOther, Deployment(), typeof(V1Deployment), "kubectl", false, Now).Object;

        Assert.Null(removed["metadata"]!["labels"]?["team"]);
        Assert.Equal("x", kept["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public void Changing_a_field_another_manager_owns_conflicts_and_force_takes_it_over()
    {
        var live = Deployment();
        FieldManager.Update(null, live, null, typeof(V1Deployment), "kubectl-client-side-apply", null, Now);

        var conflict = Assert.Throws<ApplyConflictException>(() => FieldManager.Apply(live, Deployment(replicas: 5), typeof(V1Deployment), "mine", false, Now));
        var forced = FieldManager.Apply(live, Deployment(replicas: 5), typeof(V1Deployment), "mine", true, Now).Object;

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas", conflict.Message);
        Assert.Equal(5, forced["spec"]!["replicas"]!.GetValue<int>());
        var other = Entries(forced).Single(e => e.Manager == "kubectl-client-side-apply");
        Assert.False(FieldManager.SetOf(other).Contains(["f:spec", "f:replicas"]));
        Assert.True(FieldManager.SetOf(other).Contains(["f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"]));
    }

    [Fact]
    public void Applying_the_values_another_manager_set_shares_them_without_conflict()
    {
        var live = Deployment();
        FieldManager.Update(null, live, null, typeof(V1Deployment), "kubectl-create", null, Now);

        var shared = FieldManager.Apply(live, Deployment(), typeof(V1Deployment), "mine", false, Now).Object;

        Assert.Equal(["kubectl-create", "mine"], Entries(shared).Select(e => e.Manager).Order());
    }

    [Fact]
    public void Several_conflicts_are_listed_by_manager()
    {
        var live = Deployment();
        FieldManager.Update(null, live, null, typeof(V1Deployment), "kubectl-edit", null, Now);

        var conflict = Assert.Throws<ApplyConflictException>(() => FieldManager.Apply(live, Deployment(replicas: 5, image: "other"), typeof(V1Deployment), "mine", false, Now));

        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-edit\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            conflict.Message);
    }

    [Fact]
    public void Kubectl_server_side_apply_takes_over_what_the_client_side_annotation_held()
    {
        var live = Deployment();
        var lastApplied = Deployment().ToJsonString();
        live["metadata"]!["annotations"] = new JsonObject { [FieldManager.LastAppliedAnnotation] = lastApplied };
        FieldManager.Update(null, live, null, typeof(V1Deployment), "kubectl-client-side-apply", null, Now);

        var applied = FieldManager.Apply(live, Deployment(replicas: 4), typeof(V1Deployment), FieldManager.KubectlManager, false, Now).Object;

        Assert.Equal(4, applied["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains("\"replicas\":4", applied["metadata"]!["annotations"]![FieldManager.LastAppliedAnnotation]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Throws<ApplyConflictException>(() => FieldManager.Apply(live, Deployment(replicas: 4), typeof(V1Deployment), "another-tool", false, Now));
    }

    [Fact]
    public void A_status_write_does_not_conflict_with_the_appliers_spec()
    {
        var applied = FieldManager.Apply(null, Deployment(), typeof(V1Deployment), "kubectl", false, Now).Object;
        var withStatus = (JsonObject)applied.DeepClone();
        withStatus["status"] = new JsonObject { ["replicas"] = 2, ["readyReplicas"] = 2 };
        FieldManager.Update(applied, withStatus, null, typeof(V1Deployment), "kube-controller-manager", "status", Now);

        var reapplied = FieldManager.Apply(withStatus, Deployment(replicas: 3), typeof(V1Deployment), "kubectl", false, Now).Object;

        var status = Entries(reapplied).Single(e => e.Manager == "kube-controller-manager");
        Assert.Equal(("Update", "status"), (status.Operation, status.Subresource));
        Assert.Equal(2, reapplied["status"]!["readyReplicas"]!.GetValue<int>());
    }

    [Fact]
    public void A_scale_after_an_apply_makes_the_next_apply_of_other_replicas_conflict()
    {
        var applied = FieldManager.Apply(null, Deployment(), typeof(V1Deployment), "kubectl", false, Now).Object;
        var scaled = (JsonObject)applied.DeepClone();
        scaled["spec"]!["replicas"] = 6;
        FieldManager.Update(applied, scaled, null, typeof(V1Deployment), "kubectl", "scale", Now);

        var conflict = Assert.Throws<ApplyConflictException>(() => FieldManager.Apply(scaled, Deployment(), typeof(V1Deployment), "kubectl", false, Now));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", conflict.Message);
    }

    [Fact]
    public void An_update_records_what_it_changed_and_an_empty_list_clears_managed_fields()
    {
        var created = Deployment();
        FieldManager.Update(null, created, null, typeof(V1Deployment), "kubectl-create", null, Now);
        var edited = (JsonObject)created.DeepClone();
        edited["spec"]!["replicas"] = 9;
        FieldManager.Update(created, edited, null, typeof(V1Deployment), "kubectl-edit", null, Now);
        var cleared = (JsonObject)edited.DeepClone();
        FieldManager.Update(edited, cleared, new JsonArray(), typeof(V1Deployment), "kubectl-edit", null, Now);

        var entries = Entries(edited);
        Assert.Equal(["kubectl-create", "kubectl-edit"], entries.Select(e => e.Manager));
        Assert.False(FieldManager.SetOf(entries[0]).Contains(["f:spec", "f:replicas"]));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldManager.SetOf(entries[1]).ToFieldsV1().ToJsonString());
        Assert.Null(cleared["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Keyed_lists_merge_by_key_and_set_lists_as_sets()
    {
        var live = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["a"]},"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""")!.AsObject();
        var applied = JsonNode.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["b"]},"spec":{"containers":[{"name":"b","image":"z"}]}}""")!.AsObject();

        var merged = FieldManager.Apply(live, applied, typeof(V1Pod), "m", false, Now).Object;

        Assert.Equal("""[{"name":"a","image":"x"},{"name":"b","image":"z"}]""", merged["spec"]!["containers"]!.ToJsonString());
        Assert.Equal("""["a","b"]""", merged["metadata"]!["finalizers"]!.ToJsonString());
    }
}
