using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s.Models;

namespace DurableKube.Api.Tests.Namespaces;

public class NamespaceTests
{
    private static async Task<V1Namespace?> NamespaceAsync(ApiHost api, string name) =>
        (V1Namespace?)await api.Store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, name));

    [Fact]
    public async Task The_system_namespaces_exist_at_start_up()
    {
        await using var api = await ApiHost.StartAsync();

        foreach (var name in (string[])["default", "kube-system", "kube-public", "kube-node-lease"])
        {
            var ns = await NamespaceAsync(api, name);
            Assert.NotNull(ns);
            Assert.Equal("Active", ns.Status.Phase);
            Assert.Equal(name, ns.Metadata.Labels["kubernetes.io/metadata.name"]);
            Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
            Assert.NotNull(ns.Metadata.Uid);
        }
    }

    [Fact]
    public async Task Ensuring_the_system_namespaces_again_changes_nothing()
    {
        await using var api = await ApiHost.StartAsync();
        var before = await api.Store.GetResourceVersionAsync();
        var service = new Api.Namespaces.SystemNamespaces(api.Registry, api.Time, Microsoft.Extensions.Options.Options.Create(new KubernetesApiOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<Api.Namespaces.SystemNamespaces>.Instance);

        await service.EnsureAsync(CancellationToken.None);

        Assert.Equal(before, await api.Store.GetResourceVersionAsync());
        Assert.Equal(4, await api.CountAsync(ResourceTypes.Namespaces));
    }

    [Fact]
    public async Task A_new_namespace_gets_its_label_finalizer_and_phase()
    {
        await using var api = await ApiHost.StartAsync();

        var ns = (await api.PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}""")).AssertOk(201).Json;

        Assert.Equal("team", ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("kubernetes", ns["spec"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_namespace_name_must_be_a_label()
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.PostAsync("/api/v1/namespaces", """{"metadata":{"name":"a.b"}}""")).AssertStatus(422, "Invalid");

        Assert.StartsWith("Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_namespace_makes_it_terminating_and_refuses_new_content()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces", """{"metadata":{"name":"team"}}""")).AssertOk(201);

        var deleted = (await api.DeleteAsync("/api/v1/namespaces/team")).AssertOk().Json;
        var refused = (await api.PostAsync("/api/v1/namespaces/team/pods", ApiHost.Pod("web", "team"))).AssertStatus(403, "Forbidden");

        Assert.Equal("Terminating", deleted["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(deleted["metadata"]!["deletionTimestamp"]);
        Assert.NotNull(await NamespaceAsync(api, "team"));
        Assert.Equal("pods \"web\" is forbidden: unable to create new content in namespace team because it is being terminated", refused.Message);
        Assert.Equal("NamespaceTerminating", refused.Json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods, "team"));
    }

    [Fact]
    public async Task Finalizing_a_terminating_namespace_removes_it()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces", """{"metadata":{"name":"team"}}""")).AssertOk(201);
        (await api.DeleteAsync("/api/v1/namespaces/team")).AssertOk();

        (await api.PutAsync("/api/v1/namespaces/team/finalize", """{"metadata":{"name":"team"},"spec":{"finalizers":[]}}""")).AssertOk();

        Assert.Null(await NamespaceAsync(api, "team"));
    }

    [Fact]
    public async Task A_namespace_update_cannot_drop_its_spec_finalizers()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces", """{"metadata":{"name":"team"}}""")).AssertOk(201);

        var updated = (await api.PatchAsync("/api/v1/namespaces/team", """{"spec":{"finalizers":null}}""", "application/merge-patch+json")).AssertOk().Json;

        Assert.Equal("kubernetes", updated["spec"]!["finalizers"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    public async Task System_namespaces_may_not_be_deleted(string name)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.DeleteAsync("/api/v1/namespaces/" + name)).AssertStatus(403, "Forbidden");

        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", response.Message);
        Assert.Null((await NamespaceAsync(api, name))!.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task Kubectl_create_namespace_sends_protobuf_and_it_is_understood()
    {
        await using var api = await ApiHost.StartAsync();
        byte[] body =
        [
            0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, 0x4e, 0x61, 0x6d, 0x65,
            0x73, 0x70, 0x61, 0x63, 0x65, 0x12, 0x1d, 0x0a, 0x15, 0x0a, 0x05, 0x74, 0x65, 0x61, 0x6d, 0x33,
            0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x00,
            0x1a, 0x02, 0x0a, 0x00, 0x1a, 0x00, 0x22, 0x00,
        ];
        var response = await api.PostProtobufAsync("/api/v1/namespaces?fieldManager=kubectl-create&fieldValidation=Strict", body, accept: "application/vnd.kubernetes.protobuf, */*");
        var json = response.Json;

        Assert.Equal(201, response.Code);
        Assert.Equal("team3", json["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(json["metadata"]!["generateName"]);
        Assert.NotNull(await NamespaceAsync(api, "team3"));
    }

    [Fact]
    public async Task Garbage_protobuf_is_400()
    {
        await using var api = await ApiHost.StartAsync();
        var response = await api.PostProtobufAsync("/api/v1/namespaces", [0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff]);

        Assert.Equal(400, response.Code);
        Assert.Equal(4, await api.CountAsync(ResourceTypes.Namespaces));
    }
}
