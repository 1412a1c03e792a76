using DurableKube.Api.Tests.Support;
using k8s.Models;

namespace DurableKube.Api.Tests.Pods;

/// <summary>The <c>ephemeralcontainers</c> subresource, as <c>kubectl debug</c> and the C# client use it.</summary>
public class EphemeralContainersTests
{
    private const string Subresource = "/api/v1/namespaces/default/pods/web/ephemeralcontainers";

    private const string DebugPatch = """
        {"spec":{"ephemeralContainers":[{"name":"debugger-x","image":"busybox","command":["sh"],"stdin":true,"tty":true,"targetContainerName":"app","terminationMessagePolicy":"File"}]}}
        """;

    [Fact]
    public async Task A_strategic_merge_patch_adds_an_ephemeral_container_defaulted_and_nothing_else()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var patched = (await api.PatchAsync(Subresource, DebugPatch.Replace("{\"spec\"", "{\"metadata\":{\"labels\":{\"sneaky\":\"yes\"}},\"spec\"", StringComparison.Ordinal), "application/strategic-merge-patch+json")).AssertOk();

        var ephemeral = patched.Json["spec"]!["ephemeralContainers"]!.AsArray().Single()!;
        Assert.Equal("debugger-x", ephemeral["name"]!.GetValue<string>());
        Assert.Equal("Always", ephemeral["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal("/dev/termination-log", ephemeral["terminationMessagePath"]!.GetValue<string>());
        Assert.Null(patched.Json["metadata"]!["labels"]?["sneaky"]);
        var got = (await api.GetAsync(Subresource)).AssertOk();
        Assert.Equal("Pod", got.Json["kind"]!.GetValue<string>());
        Assert.Single(got.Json["spec"]!["ephemeralContainers"]!.AsArray());
    }

    [Fact]
    public async Task An_update_adds_a_second_one_and_keeps_the_first()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        (await api.PatchAsync(Subresource, DebugPatch, "application/strategic-merge-patch+json")).AssertOk();
        var pod = KubeJsonOf((await api.GetAsync(Subresource)).Body);
        pod.Spec.EphemeralContainers.Add(new V1EphemeralContainer { Name = "second", Image = "busybox", Command = ["sleep", "1"] });

        var updated = (await api.PutAsync(Subresource, pod)).AssertOk();

        Assert.Equal(["debugger-x", "second"], updated.Json["spec"]!["ephemeralContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Removing_or_changing_one_is_refused_as_Invalid()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        (await api.PatchAsync(Subresource, DebugPatch, "application/strategic-merge-patch+json")).AssertOk();

        var removed = await api.PatchAsync(Subresource, """[{"op":"remove","path":"/spec/ephemeralContainers/0"}]""", "application/json-patch+json");
        var changed = await api.PatchAsync(Subresource, """[{"op":"replace","path":"/spec/ephemeralContainers/0/image","value":"alpine"}]""", "application/json-patch+json");

        removed.AssertStatus(422, "Invalid");
        Assert.Contains("existing ephemeral containers \"debugger-x\" may not be removed", removed.Message, StringComparison.Ordinal);
        changed.AssertStatus(422, "Invalid");
        Assert.Contains("existing ephemeral containers \"debugger-x\" may not be changed", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_with_ports_or_an_unknown_target_is_refused_with_every_reason()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");

        var response = await api.PatchAsync(
            Subresource,
            """{"spec":{"ephemeralContainers":[{"name":"debugger","image":"busybox","ports":[{"containerPort":80}],"targetContainerName":"nope"}]}}""",
            "application/strategic-merge-patch+json");

        response.AssertStatus(422, "Invalid");
        Assert.Contains("spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container", response.Message, StringComparison.Ordinal);
        Assert.Contains("spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\"", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_is_not_created_with_ephemeral_containers_nor_given_them_by_an_update()
    {
        await using var api = await ApiHost.StartAsync();
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sleep", "60"] }],
                EphemeralContainers = [new V1EphemeralContainer { Name = "debugger", Image = "busybox" }],
            },
        };

        var created = await api.PostAsync("/api/v1/namespaces/default/pods", pod);
        created.AssertStatus(422, "Invalid");
        Assert.Contains("spec.ephemeralContainers: Forbidden: cannot be set on create", created.Message, StringComparison.Ordinal);

        await api.CreatePodAsync("web");
        var updated = await api.PatchAsync("/api/v1/namespaces/default/pods/web", DebugPatch, "application/strategic-merge-patch+json");
        updated.AssertStatus(422, "Invalid");
        Assert.Contains("pod updates may not change fields other than", updated.Message, StringComparison.Ordinal);
    }

    private static V1Pod KubeJsonOf(string json) => k8s.KubernetesJson.Deserialize<V1Pod>(json);
}
