using System.Net;
using DurableKube.Api.Tests.Support;
using DurableKube.Ports.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DurableKube.Api.Tests.Clients;

/// <summary>The official C# client (KubernetesClient) against the API, as an application would use it.</summary>
public class CSharpClientTests
{
    [Fact]
    public async Task Create_read_list_patch_and_delete_a_pod()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
        };

        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var read = await client.CoreV1.ReadNamespacedPodAsync("web", "default");
        var list = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=web");
        var patched = await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"tier":"front"}}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var deleted = await client.CoreV1.DeleteNamespacedPodAsync("web", "default");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("web", "default"));

        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("web", Assert.Single(list.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
        Assert.Equal("front", patched.Metadata.Labels["tier"]);
        Assert.Equal("web", deleted.Metadata.Name);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("pods \\u0022web\\u0022 not found", missing.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pod_fails_with_a_422_status()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "app" }] } };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Equal((HttpStatusCode)422, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Pod \"web\" is invalid: spec.containers[0].image: Required value", status.Message);
    }

    [Fact]
    public async Task Deleting_a_node_returns_a_status()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });

        var status = await client.CoreV1.DeleteNodeAsync("node-1");

        Assert.Equal("Success", status.Status);
        Assert.Equal("node-1", status.Details.Name);
    }

    [Fact]
    public async Task A_watch_sends_existing_pods_then_changes()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        await api.CreatePodAsync("a");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string Name)>();
        var watch = client.CoreV1.WatchListNamespacedPodAsync("default", cancellationToken: cancel.Token);
        await using var enumerator = watch.GetAsyncEnumerator(cancel.Token);

        Assert.True(await enumerator.MoveNextAsync());
        events.Add((enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
        await api.CreatePodAsync("b");
        Assert.True(await enumerator.MoveNextAsync());
        events.Add((enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
        await client.CoreV1.DeleteNamespacedPodAsync("b", "default");
        while (events[^1].Type != WatchEventType.Deleted && await enumerator.MoveNextAsync())
        {
            events.Add((enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
        }

        // As on a real API server, a pod deleted with no grace is first marked (MODIFIED), then removed.
        Assert.Equal([(WatchEventType.Added, "a"), (WatchEventType.Added, "b"), (WatchEventType.Modified, "b"), (WatchEventType.Deleted, "b")], events);
    }

    [Fact]
    public async Task Pod_logs_are_read_as_text()
    {
        await using var api = await ApiHost.StartAsync();
        using var client = api.CreateClient();
        var pod = await api.CreatePodAsync("web");
        var run = new ContainerRunId(pod.Metadata.Uid, "app", 0);
        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.ContainerStatuses = [new V1ContainerStatus
            {
                Name = "app", Image = "nginx", ImageID = string.Empty, ContainerID = run.ToContainerId("fake"),
                State = new V1ContainerState { Running = new V1ContainerStateRunning() },
            }];
        });
        api.Runtime.AddLog(run, new LogLine(DateTimeOffset.UnixEpoch, "stdout", "hello", true));

        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("web", "default");
        using var reader = new StreamReader(stream);

        Assert.Equal("hello\n", await reader.ReadToEndAsync());
    }
}
