using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>The ReplicaSet page of the Kubernetes documentation, run with the real kubectl and the official C# client.</summary>
[Collection(LocalHostCollection.Name)]
public sealed partial class ReplicaSetWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    /// <summary>The docs' pod-rs.yaml: two bare pods with the frontend's label, adapted with a command.</summary>
    private const string BarePods = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod1
          labels:
            tier: frontend
        spec:
          containers:
          - name: hello1
            image: gcr.io/google-samples/hello-app:2.0
            command: ["sh", "-c", "sleep 3600"]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod2
          labels:
            tier: frontend
        spec:
          containers:
          - name: hello2
            image: gcr.io/google-samples/hello-app:1.0
            command: ["sh", "-c", "sleep 3600"]
        """;

    private async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = E2E.UniqueNamespace(prefix);
        await E2E.CreateNamespaceAsync(host, ns);
        return ns;
    }

    private async Task<JsonElement[]> FrontendPodsAsync(string ns)
    {
        var json = await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "tier=frontend", "-o", "json");
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(p => p.Clone())];
    }

    private static string Name(JsonElement pod) => pod.GetProperty("metadata").GetProperty("name").GetString()!;

    private static bool Running(JsonElement pod) =>
        pod.GetProperty("status").TryGetProperty("phase", out var phase) && phase.GetString() == "Running"
        && !pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _);

    private static JsonElement[] Owners(JsonElement pod) =>
        pod.GetProperty("metadata").TryGetProperty("ownerReferences", out var owners) ? [.. owners.EnumerateArray()] : [];

    private Task<string> WaitForRowAsync(string ns, int desired, int current, int ready) =>
        Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "rs", "frontend", "-n", ns, "--no-headers"),
            row => Regex.IsMatch(row, $@"^frontend\s+{desired}\s+{current}\s+{ready}\s+\S+\s*$"),
            Patience,
            $"frontend to show {desired} {current} {ready}");

    private Task<JsonElement[]> WaitForRunningPodsAsync(string ns, int count, Func<JsonElement[], bool>? also = null) =>
        Eventually.WaitAsync(
            () => FrontendPodsAsync(ns),
            pods => pods.Count(Running) == count && pods.Length == count && (also?.Invoke(pods) ?? true),
            Patience,
            $"{count} running frontend pods");

    [Fact]
    public async Task The_frontend_ReplicaSet_is_listed_described_heals_itself_and_scales()
    {
        var ns = await NewNamespaceAsync("rs");

        Assert.Contains("replicaset.apps/frontend created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("replicaset.yaml")), StringComparison.Ordinal);
        await WaitForRowAsync(ns, 3, 3, 3);

        var table = await host.KubectlOkAsync("get", "rs", "-n", ns);
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s*\n", table);
        var wide = await host.KubectlOkAsync("get", "rs", "-n", ns, "-o", "wide");
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR", wide);
        Assert.Matches(@"(?m)^frontend\s+3\s+3\s+3\s+\S+\s+php-redis\s+us-docker\.pkg\.dev/google-samples/containers/gke/gb-frontend:v5\s+tier=frontend\s*$", wide);

        var describe = await host.KubectlOkAsync("describe", "rs", "frontend", "-n", ns);
        Assert.Matches(@"(?m)^Name:\s+frontend$", describe);
        Assert.Matches(@"(?m)^Selector:\s+tier=frontend$", describe);
        Assert.Matches(@"(?m)^Replicas:\s+3 current / 3 desired$", describe);
        Assert.Matches(@"(?m)^Pods Status:\s+3 Running / 0 Waiting / 0 Succeeded / 0 Failed$", describe);

        // A pod deleted: a new one takes its place.
        var pods = await WaitForRunningPodsAsync(ns, 3);
        Assert.All(pods, p => Assert.Matches("^frontend-[a-z0-9]{5}$", Name(p)));
        var victim = Name(pods[0]);
        Assert.Contains($"pod \"{victim}\" deleted", await host.KubectlOkAsync("delete", "pod", victim, "-n", ns), StringComparison.Ordinal);
        await WaitForRunningPodsAsync(ns, 3, p => p.All(x => Name(x) != victim));

        Assert.Contains("replicaset.apps/frontend scaled", await host.KubectlOkAsync("scale", "rs", "frontend", "-n", ns, "--replicas=5"), StringComparison.Ordinal);
        await WaitForRowAsync(ns, 5, 5, 5);
        await WaitForRunningPodsAsync(ns, 5);

        await host.KubectlOkAsync("scale", "rs", "frontend", "-n", ns, "--replicas=1");
        await WaitForRowAsync(ns, 1, 1, 1);
        await WaitForRunningPodsAsync(ns, 1);

        var negative = await host.KubectlAsync("scale", "rs", "frontend", "-n", ns, "--replicas=-1");
        Assert.NotEqual(0, negative.ExitCode);

        await host.KubectlOkAsync("delete", "rs", "frontend", "-n", ns);
    }

    [Fact]
    public async Task Bare_pods_matching_the_selector_are_adopted_and_count_as_replicas()
    {
        var ns = await NewNamespaceAsync("rsadopt");

        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, BarePods));
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("replicaset.yaml"));

        var pods = await WaitForRunningPodsAsync(ns, 3, p => p.All(x => Owners(x).Length == 1));
        Assert.Contains("pod1", pods.Select(Name));
        Assert.Contains("pod2", pods.Select(Name));
        var owner = Owners(pods.Single(p => Name(p) == "pod1")).Single();
        Assert.Equal(("ReplicaSet", "frontend", true), (owner.GetProperty("kind").GetString(), owner.GetProperty("name").GetString(), owner.GetProperty("controller").GetBoolean()));
        await WaitForRowAsync(ns, 3, 3, 3);
    }

    [Fact]
    public async Task Cascade_orphan_leaves_the_pods_foreground_waits_for_them_and_background_deletes_them()
    {
        var ns = await NewNamespaceAsync("rsgc");
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("replicaset.yaml"));
        var pods = await WaitForRunningPodsAsync(ns, 3);

        // Orphan: the ReplicaSet goes, its pods stay, without their ownerReference.
        Assert.Contains("replicaset.apps \"frontend\" deleted", await host.KubectlOkAsync("delete", "rs", "frontend", "-n", ns, "--cascade=orphan"), StringComparison.Ordinal);
        var orphans = await WaitForRunningPodsAsync(ns, 3, p => p.All(x => Owners(x).Length == 0));
        Assert.Equal(pods.Select(Name).Order(), orphans.Select(Name).Order());
        Assert.Contains("No resources found", (await host.KubectlAsync("get", "rs", "-n", ns)).Output, StringComparison.Ordinal);

        // Applied again, it adopts them; deleted in the foreground, kubectl returns once the pods are gone.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("replicaset.yaml"));
        await WaitForRunningPodsAsync(ns, 3, p => p.All(x => Owners(x).Length == 1));
        await host.KubectlOkAsync("delete", "rs", "frontend", "-n", ns, "--cascade=foreground");
        Assert.Empty(await FrontendPodsAsync(ns));

        // Background (the default): the ReplicaSet goes at once and the garbage collector deletes its pods.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("replicaset.yaml"));
        await WaitForRunningPodsAsync(ns, 3);
        await host.KubectlOkAsync("delete", "rs", "frontend", "-n", ns);
        await Eventually.WaitAsync(() => FrontendPodsAsync(ns), p => p.Length == 0, Patience, "the pods collected");
    }

    [Fact]
    public async Task The_CSharp_client_creates_a_ReplicaSet_reads_its_status_and_patches_its_scale()
    {
        using var client = host.CreateClient();
        var ns = await NewNamespaceAsync("rsclient");
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "busybox", Command = ["sh", "-c", "sleep 3600"] }] },
                },
            },
        };

        await client.AppsV1.CreateNamespacedReplicaSetAsync(rs, ns);
        await Eventually.WaitAsync(() => client.AppsV1.ReadNamespacedReplicaSetStatusAsync("web", ns), r => r.Status?.ReadyReplicas == 2, Patience, "2 ready replicas");

        var scale = await client.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", ns);
        Assert.Equal(3, scale.Spec.Replicas);
        var ready = await Eventually.WaitAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync("web", ns), r => r.Status?.ReadyReplicas == 3, Patience, "3 ready replicas");

        Assert.Equal((3, 3, 2L), (ready.Status.Replicas, ready.Status.AvailableReplicas!.Value, ready.Status.ObservedGeneration!.Value));
        Assert.Equal("app=web", (await client.AppsV1.ReadNamespacedReplicaSetScaleAsync("web", ns)).Status.Selector);
        await client.AppsV1.DeleteNamespacedReplicaSetAsync("web", ns);
    }
}
