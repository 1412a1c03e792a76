using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s.Models;

namespace DurableKube.Api.Tests.Resources;

public class DeleteTests
{
    private const string Web = "/api/v1/namespaces/default/pods/web";

    private static async Task<StoredPod?> StoredAsync(ApiHost api)
    {
        var obj = await api.Store.GetAsync(new ObjectKey(ResourceTypes.Pods, "default", "web"));
        return obj is null ? null : new StoredPod((V1Pod)obj);
    }

    private static Task BindAsync(ApiHost api) => api.SetPodAsync("web", p =>
    {
        p.Spec.NodeName = "node-1";
        p.Status.Phase = "Running";
    });

    [Fact]
    public async Task An_unbound_pod_is_removed_at_once_and_returned()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.DeleteAsync(Web)).AssertOk();

        Assert.Equal("Pod", response.Json["kind"]!.GetValue<string>());
        Assert.Equal("web", response.Json["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(await StoredAsync(api));
    }

    [Fact]
    public async Task Kubectl_delete_body_is_accepted()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        (await api.DeleteAsync(Web, """{"propagationPolicy":"Background"}""")).AssertOk();

        Assert.Null(await StoredAsync(api));
    }

    [Fact]
    public async Task A_bound_running_pod_is_marked_with_its_grace_period()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await BindAsync(api);

        var response = (await api.DeleteAsync(Web)).AssertOk();

        var expected = "2025-06-01T12:00:30Z";
        Assert.Equal(expected, response.Json["metadata"]!["deletionTimestamp"]!.GetValue<string>());
        Assert.Equal(30, response.Json["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var stored = (await StoredAsync(api))!.Pod;
        Assert.Equal(30, stored.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(2, stored.Metadata.Generation);
    }

    [Fact]
    public async Task A_second_delete_may_only_shorten_the_grace_and_zero_removes()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await BindAsync(api);
        (await api.DeleteAsync(Web)).AssertOk();

        (await api.DeleteAsync(Web, """{"gracePeriodSeconds":60}""")).AssertOk();
        Assert.Equal(30, (await StoredAsync(api))!.Pod.Metadata.DeletionGracePeriodSeconds);

        (await api.DeleteAsync(Web + "?gracePeriodSeconds=10")).AssertOk();
        Assert.Equal(10, (await StoredAsync(api))!.Pod.Metadata.DeletionGracePeriodSeconds);

        (await api.DeleteAsync(Web, """{"gracePeriodSeconds":0}""")).AssertOk();
        Assert.Null(await StoredAsync(api));
    }

    [Fact]
    public async Task Finalizers_keep_a_deleted_pod_until_an_update_removes_them()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Metadata.Finalizers = ["example.com/hold"]);

        var marked = (await api.DeleteAsync(Web)).AssertOk().Json;
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(await StoredAsync(api));

        (await api.PatchAsync(Web, """{"metadata":{"finalizers":null}}""", "application/merge-patch+json")).AssertOk();
        Assert.Null(await StoredAsync(api));
    }

    [Fact]
    public async Task An_update_cannot_remove_a_deletion_timestamp()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web", change: p => p.Metadata.Finalizers = ["example.com/hold"]);
        (await api.DeleteAsync(Web)).AssertOk();

        var patched = (await api.PatchAsync(Web, """{"metadata":{"deletionTimestamp":null,"labels":{"x":"y"}}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.NotNull(patched["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task Preconditions_must_hold()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = await api.CreatePodAsync("web");

        var response = (await api.DeleteAsync(Web, """{"preconditions":{"uid":"other"}}""")).AssertStatus(409, "Conflict");
        (await api.DeleteAsync(Web, """{"preconditions":{"resourceVersion":"1"}}""")).AssertStatus(409, "Conflict");

        Assert.Equal($"Operation cannot be fulfilled on pods \"web\": Precondition failed: UID in precondition: other, UID in object meta: {pod.Metadata.Uid}", response.Message);
        Assert.NotNull(await StoredAsync(api));
        (await api.DeleteAsync(Web, $$$"""{"preconditions":{"uid":"{{{pod.Metadata.Uid}}}","resourceVersion":"{{{pod.Metadata.ResourceVersion}}}"}}""")).AssertOk();
    }

    [Fact]
    public async Task A_bad_propagation_policy_is_422()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = (await api.DeleteAsync(Web, """{"propagationPolicy":"Sometimes"}""")).AssertStatus(422, "Invalid");

        Assert.Contains("propagationPolicy: Unsupported value: \"Sometimes\"", response.Message, StringComparison.Ordinal);
        Assert.NotNull(await StoredAsync(api));
    }

    [Fact]
    public async Task Delete_of_a_missing_object_is_404()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.DeleteAsync(Web)).AssertStatus(404, "NotFound");
    }

    [Fact]
    public async Task DryRun_deletes_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        (await api.DeleteAsync(Web + "?dryRun=All")).AssertOk();

        Assert.NotNull(await StoredAsync(api));
    }

    [Fact]
    public async Task Deleting_a_node_answers_a_success_status()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/nodes", """{"metadata":{"name":"node-1"}}""")).AssertOk(201);

        var response = (await api.DeleteAsync("/api/v1/nodes/node-1")).AssertOk();

        Assert.Equal("Status", response.Json["kind"]!.GetValue<string>());
        Assert.Equal("Success", response.Json["status"]!.GetValue<string>());
        Assert.Equal("node-1", response.Json["details"]!["name"]!.GetValue<string>());
        Assert.Equal("nodes", response.Json["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Nodes));
    }

    [Fact]
    public async Task Delete_collection_removes_what_the_selector_picks()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await api.CreatePodAsync("db");

        var response = (await api.DeleteAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).AssertOk();

        Assert.Equal("PodList", response.Json["kind"]!.GetValue<string>());
        Assert.Single(response.Json["items"]!.AsArray());
        Assert.Equal(1, await api.CountAsync(ResourceTypes.Pods));
    }

    /// <summary>A stored pod, wrapped so tests read it by name.</summary>
    private sealed record StoredPod(V1Pod Pod);
}
