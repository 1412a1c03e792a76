using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>Lists and watches as a cluster serves them (issue 10, item 6), driven by the C# client and kubectl.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class WatchListTests(LocalHostFixture host)
{
    private static V1ConfigMap ConfigMap(string name) => new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["k"] = name } };

    [Fact]
    public async Task An_informer_style_watch_gets_bookmarks_and_resumes_without_a_gap_where_the_server_ended_it()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("watch");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var listed = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("one"), ns);

        // The server ends the watch at its timeoutSeconds with a last bookmark, as an informer's reflector expects.
        var first = await WatchToEndAsync(client, ns, listed.Metadata.ResourceVersion);
        Assert.Contains(first, e => e.Type == WatchEventType.Added && e.Name == "one");
        Assert.Equal(WatchEventType.Bookmark, first[^1].Type);

        // A change made between two watches comes in the next one, from the bookmark's resource version.
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("two"), ns);
        var second = await WatchToEndAsync(client, ns, first[^1].ResourceVersion);
        Assert.Contains(second, e => e.Type == WatchEventType.Added && e.Name == "two");
        Assert.DoesNotContain(second, e => e.Name == "one");

        // An exact list of a version the store has moved past is 410 Expired, as from an API server whose history moved on.
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedConfigMapAsync(ns, resourceVersion: listed.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));
        Assert.Equal((System.Net.HttpStatusCode)410, gone.Response.StatusCode);
        Assert.Equal("Expired", KubernetesJson.Deserialize<V1Status>(gone.Response.Content).Reason);
    }

    [Fact]
    public async Task Kubectl_chunk_size_pages_through_a_list()
    {
        var ns = E2E.UniqueNamespace("chunks");
        await host.KubectlOkAsync("create", "namespace", ns);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await host.KubectlOkAsync("-n", ns, "create", "configmap", "cm-" + name, "--from-literal=k=" + name);
        }

        var chunked = await host.KubectlAsync("-n", ns, "get", "configmaps", "--chunk-size=2", "-o", "name", "-v=6");
        var whole = await host.KubectlOkAsync("-n", ns, "get", "configmaps", "--chunk-size=0", "-o", "name");

        Assert.True(chunked.ExitCode == 0, chunked.Output);
        static List<string> Ours(string output) =>
            [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(n => n.StartsWith("configmap/cm-", StringComparison.Ordinal))];
        Assert.Equal(["configmap/cm-a", "configmap/cm-b", "configmap/cm-c", "configmap/cm-d", "configmap/cm-e"], Ours(chunked.StandardOutput));
        Assert.Equal(Ours(whole), Ours(chunked.StandardOutput));

        // kubectl asked page by page (-v=6 logs each request): limit=2, then continue tokens.
        Assert.Contains("limit=2", chunked.StandardError, StringComparison.Ordinal);
        Assert.Contains("continue=", chunked.StandardError, StringComparison.Ordinal);
    }

    private static async Task<List<(WatchEventType Type, string Name, string ResourceVersion)>> WatchToEndAsync(Kubernetes client, string ns, string resourceVersion)
    {
        var events = new List<(WatchEventType, string, string)>();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var watch = client.CoreV1.WatchListNamespacedConfigMapAsync(
            ns, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: 10, cancellationToken: guard.Token);
        await foreach (var (type, item) in watch)
        {
            events.Add((type, item.Metadata.Name, item.Metadata.ResourceVersion));
        }

        Assert.False(guard.IsCancellationRequested, "the server did not end the watch at its timeoutSeconds");
        return events;
    }
}
