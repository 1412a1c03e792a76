using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// StatefulSets with the real kubectl and the official C# client, as the Kubernetes documentation's StatefulSet
/// basics tutorial runs them: ordered creation, scale down from the highest ordinal, a deleted pod back under its name,
/// rolling updates with rollout status, history and undo, deletion, and the refusal of volumeClaimTemplates.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class StatefulSetWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static string Example(string name) => Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", name);

    /// <summary>The StatefulSet's pods as kubectl lists them: name, uid, whether Ready, whether being deleted.</summary>
    private async Task<List<(string Name, string Uid, bool Ready, bool Deleting, string Revision)>> PodsAsync(string ns)
    {
        using var document = JsonDocument.Parse(await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=nginx", "-o", "json"));
        return
        [
            .. document.RootElement.GetProperty("items").EnumerateArray().Select(p =>
            {
                var meta = p.GetProperty("metadata");
                var ready = p.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
                    && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
                return (
                    meta.GetProperty("name").GetString()!,
                    meta.GetProperty("uid").GetString()!,
                    ready,
                    meta.TryGetProperty("deletionTimestamp", out _),
                    meta.GetProperty("labels").TryGetProperty("controller-revision-hash", out var revision) ? revision.GetString()! : string.Empty);
            }).OrderBy(p => p.Item1, StringComparer.Ordinal),
        ];
    }

    /// <summary>Whether the pods are web-0 .. web-(n-1) with nothing missing in between.</summary>
    private static bool IsPrefix(IEnumerable<string> names) =>
        names.Select((name, i) => name == $"web-{i}").All(ok => ok);

    [Fact]
    public async Task The_web_StatefulSet_comes_up_in_order_scales_down_from_the_top_heals_and_rolls()
    {
        var ns = E2E.UniqueNamespace("sts");
        await E2E.CreateNamespaceAsync(host, ns);

        Assert.Contains("statefulset.apps/web created", await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("statefulset.yaml")), StringComparison.Ordinal);

        // Ordered: at every look, the pods are web-0 .. web-k and every one but the newest is Ready.
        var disorder = new List<string>();
        await Eventually.WaitAsync(
            async () =>
            {
                var pods = await PodsAsync(ns);
                if (!IsPrefix(pods.Select(p => p.Name)) || !pods.SkipLast(1).All(p => p.Ready))
                {
                    disorder.Add(string.Join(",", pods));
                }

                return pods;
            },
            pods => pods.Count == 3 && pods.All(p => p.Ready),
            Patience,
            "web-0, web-1 and web-2 to be Ready");
        Assert.Empty(disorder);
        var status = await host.KubectlOkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=120s");
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", status, StringComparison.Ordinal);

        var table = await host.KubectlOkAsync("get", "sts", "-n", ns);
        Assert.Matches(@"^NAME\s+READY\s+AGE\s*\n", table);
        Assert.Matches(@"(?m)^web\s+3/3\s+\d+s\s*$", table);
        Assert.Matches(@"(?m)^web\s+3/3\s+\d+s\s+nginx\s+registry\.k8s\.io/nginx-slim:0\.24\s*$", await host.KubectlOkAsync("get", "statefulsets", "-n", ns, "-o", "wide"));
        var describe = await host.KubectlOkAsync("describe", "sts", "web", "-n", ns);
        Assert.Matches(@"Replicas:\s+3 desired \| 3 total", describe);
        Assert.Matches(@"Pods Status:\s+3 Running / 0 Waiting / 0 Succeeded / 0 Failed", describe);
        Assert.Contains("serving as web-1", await host.KubectlOkAsync("logs", "-n", ns, "web-1"), StringComparison.Ordinal);
        var revisions = await host.KubectlOkAsync("get", "controllerrevisions", "-n", ns);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+REVISION\s+AGE", revisions);
        Assert.Matches(@"(?m)^web-[a-z0-9]+\s+statefulset\.apps/web\s+1\s+\d+s\s*$", revisions);

        // A pod deleted by hand comes back under its name.
        var web1 = (await PodsAsync(ns)).Single(p => p.Name == "web-1");
        await host.KubectlOkAsync("delete", "pod", "web-1", "-n", ns);
        await Eventually.WaitAsync(() => PodsAsync(ns), pods => pods.Any(p => p.Name == "web-1" && p.Uid != web1.Uid && p.Ready), Patience, "web-1 to come back");

        // Scale down: the highest ordinal goes first, one at a time.
        Assert.Contains("statefulset.apps/web scaled", await host.KubectlOkAsync("scale", "sts", "web", "-n", ns, "--replicas=1"), StringComparison.Ordinal);
        await Eventually.WaitAsync(
            async () =>
            {
                var pods = await PodsAsync(ns);
                if (!IsPrefix(pods.Select(p => p.Name)) || pods.Count(p => p.Deleting) > 1)
                {
                    disorder.Add(string.Join(",", pods));
                }

                return pods;
            },
            pods => pods.Count == 1,
            Patience,
            "web-1 and web-2 to go");
        Assert.Empty(disorder);
        await host.KubectlOkAsync("scale", "sts", "web", "-n", ns, "--replicas=3");
        await host.KubectlOkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=120s");

        // A rolling update, its history, and an undo back to the first template.
        await host.KubectlOkAsync("set", "image", "-n", ns, "sts/web", "nginx=registry.k8s.io/nginx-slim:0.27");
        Assert.Contains("partitioned roll out complete: 3 new pods have been updated", await host.KubectlOkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=120s"), StringComparison.Ordinal);
        var updated = await PodsAsync(ns);
        Assert.Single(updated.Select(p => p.Revision).Distinct());
        Assert.Matches(@"(?s)REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>", await host.KubectlOkAsync("rollout", "history", "-n", ns, "sts/web"));
        Assert.Contains("nginx-slim:0.24", await host.KubectlOkAsync("rollout", "history", "-n", ns, "sts/web", "--revision=1"), StringComparison.Ordinal);

        Assert.Contains("statefulset.apps/web rolled back", await host.KubectlOkAsync("rollout", "undo", "-n", ns, "sts/web"), StringComparison.Ordinal);
        await host.KubectlOkAsync("rollout", "status", "-n", ns, "sts/web", "--timeout=120s");
        Assert.Matches(@"(?s)REVISION\s+CHANGE-CAUSE\s+2\s+<none>\s+3\s+<none>", await host.KubectlOkAsync("rollout", "history", "-n", ns, "sts/web"));
        var image = (await host.KubectlOkAsync("get", "pod", "web-2", "-n", ns, "-o", "jsonpath={.spec.containers[0].image}")).Trim();
        Assert.Equal("registry.k8s.io/nginx-slim:0.24", image);

        // Deleting the set deletes its pods and its revisions (the garbage collector follows their owner references).
        await host.KubectlOkAsync("delete", "sts", "web", "-n", ns);
        await Eventually.WaitAsync(() => PodsAsync(ns), pods => pods.Count == 0, Patience, "the pods to go with the StatefulSet");
        await Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "controllerrevisions", "-n", ns, "-o", "name"),
            names => names.Trim().Length == 0,
            Patience,
            "the revisions to go with the StatefulSet");
    }

    [Fact]
    public async Task The_docs_web_StatefulSet_with_volumeClaimTemplates_is_refused_as_PersistentVolumeClaims_are_not_served()
    {
        var ns = E2E.UniqueNamespace("stspvc");
        await E2E.CreateNamespaceAsync(host, ns);
        var withClaims = (await File.ReadAllTextAsync(Example("statefulset.yaml"))) + """
              volumeClaimTemplates:
              - metadata:
                  name: www
                spec:
                  accessModes: [ "ReadWriteOnce" ]
                  storageClassName: "my-storage-class"
                  resources:
                    requests:
                      storage: 1Gi
            """;

        var refused = await host.KubectlAsync("apply", "-n", ns, "-f", E2E.Manifest(host, withClaims));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The StatefulSet \"web\" is invalid: spec.volumeClaimTemplates: Forbidden: PersistentVolumeClaims are not served by DurableKube yet", refused.Output, StringComparison.Ordinal);
        Assert.Contains("No resources found", (await host.KubectlAsync("get", "sts", "-n", ns)).Output, StringComparison.Ordinal);

        // What may not change is refused with the API server's words.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Example("statefulset.yaml"));
        var immutable = await host.KubectlAsync("patch", "sts", "web", "-n", ns, "-p", """{"spec":{"serviceName":"other"}}""");
        Assert.NotEqual(0, immutable.ExitCode);
        Assert.Contains(
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            immutable.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSharp_client_creates_scales_and_reads_a_Parallel_StatefulSet_and_its_revisions()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("stsclient");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        V1StatefulSet Sts(string name) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 2,
                PodManagementPolicy = "Parallel",
                ServiceName = name,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 2,
                        Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", "exec sleep 3600"] }],
                    },
                },
            },
        };

        var created = await client.AppsV1.CreateNamespacedStatefulSetAsync(Sts("db"), ns);
        Assert.Equal(("RollingUpdate", 0, 10), (created.Spec.UpdateStrategy.Type, created.Spec.UpdateStrategy.RollingUpdate.Partition, created.Spec.RevisionHistoryLimit));
        Assert.Equal("Parallel", created.Spec.PodManagementPolicy);

        await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "db", ns);
        var ready = await Eventually.WaitAsync(
            () => client.AppsV1.ReadNamespacedStatefulSetAsync("db", ns),
            s => s.Status?.ReadyReplicas == 3 && s.Status.ObservedGeneration == s.Metadata.Generation,
            Patience,
            "db to have 3 ready pods");
        Assert.Equal(ready.Status.UpdateRevision, ready.Status.CurrentRevision);
        var scale = await client.AppsV1.ReadNamespacedStatefulSetScaleAsync("db", ns);
        Assert.Equal((3, 3, "app=db"), (scale.Spec.Replicas, scale.Status.Replicas, scale.Status.Selector));
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=db");
        Assert.Equal(["db-0", "db-1", "db-2"], pods.Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(pods.Items, p => Assert.Equal(ready.Status.UpdateRevision, p.Metadata.Labels["controller-revision-hash"]));
        var revision = Assert.Single((await client.AppsV1.ListNamespacedControllerRevisionAsync(ns)).Items);
        Assert.Equal((ready.Status.UpdateRevision, 1L, created.Metadata.Uid), (revision.Metadata.Name, revision.Revision, revision.Metadata.OwnerReferences.Single().Uid));

        var withClaims = Sts("claims");
        withClaims.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }];
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedStatefulSetAsync(withClaims, ns));
        Assert.Equal(422, (int)refused.Response.StatusCode);
        var refusal = KubernetesJson.Deserialize<V1Status>(refused.Response.Content);
        Assert.Equal("Invalid", refusal.Reason);
        Assert.Contains(refusal.Details.Causes, c => c.Field == "spec.volumeClaimTemplates" && c.Reason == "FieldValueForbidden");

        await client.AppsV1.DeleteNamespacedStatefulSetAsync("db", ns);
        await Eventually.WaitAsync(() => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=db"), l => l.Items.Count == 0, Patience, "db's pods to go");
    }
}
