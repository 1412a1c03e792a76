using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// A node whose kubelet dies, end to end: the test plays a kubelet on another machine, as Kubernetes lets one join (it
/// registers its Node through the API with the official C# client and posts its status, the heartbeat, every 2 s), then
/// stops. Seen through kubectl: the node goes NotReady (Ready=Unknown, "Kubelet stopped posting node status.") after the
/// fixture's <c>NodeLifecycle__GracePeriod</c>, gets the <c>node.kubernetes.io/unreachable</c> taints, its pods are
/// Ready=False and, once the <c>tolerationSeconds</c> their manifest gives run out, deleted by the taint manager and
/// replaced by their ReplicaSet on the local node; when the kubelet reports again the node is Ready and untainted.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class NodeFailureWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task A_node_that_stops_heartbeating_goes_NotReady_and_its_pods_are_replaced_on_a_live_node()
    {
        var ns = E2E.UniqueNamespace("nodefail");
        var label = "nf-" + ns[^8..];
        var nodeName = "gone-" + ns[^8..];
        await E2E.CreateNamespaceAsync(host, ns);
        using var client = host.CreateClient();
        using var kubelet = new PlayedKubelet(client, nodeName);
        var manifest = E2E.Manifest(host, $$"""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: {{label}}}
              template:
                metadata:
                  labels: {app: {{label}}}
                spec:
                  terminationGracePeriodSeconds: 2
                  tolerations:
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
                  containers:
                  - name: web
                    image: busybox
                    command: ["sleep", "3600"]
            """);
        try
        {
            await kubelet.RegisterAsync();
            kubelet.StartHeartbeats();
            await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "nodes"), o => System.Text.RegularExpressions.Regex.IsMatch(o, $@"(?m)^{nodeName}\s+Ready\s"), Patience,
                "the played kubelet's node Ready");

            // With the local node cordoned (and the ACI node tainted), the ReplicaSet's pods can only go to the played node.
            await host.KubectlOkAsync("cordon", host.NodeName);
            await host.KubectlOkAsync("apply", "-n", ns, "-f", manifest);
            var before = await Eventually.WaitAsync(
                () => PodsAsync(ns, label),
                pods => pods.Count == 2 && pods.All(p => p.Node == nodeName), Patience, "two pods bound to the played node");
            await host.KubectlOkAsync("uncordon", host.NodeName);

            // Nothing in this control plane runs them: they wait in ContainerCreating and say why.
            foreach (var pod in before)
            {
                Assert.Equal("ContainerCreating", await E2E.StatusColumnAsync(host, ns, pod.Name));
                await Eventually.WaitAsync(
                    () => host.KubectlOkAsync("get", "events", "-n", ns, "--field-selector", $"involvedObject.name={pod.Name}"),
                    o => o.Contains("NodeHasNoRuntime", StringComparison.Ordinal) && o.Contains($"node \"{nodeName}\" has no container runtime", StringComparison.Ordinal),
                    Patience, $"{pod.Name}'s NodeHasNoRuntime event");
            }

            // The kubelet dies.
            await kubelet.StopHeartbeatsAsync();
            var ready = await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "node", nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}|{.status.conditions[?(@.type==\"Ready\")].reason}|{.status.conditions[?(@.type==\"Ready\")].message}"),
                o => o.StartsWith("Unknown|", StringComparison.Ordinal), Patience, "the node's Ready condition Unknown");
            Assert.Equal("Unknown|NodeStatusUnknown|Kubelet stopped posting node status.", ready.Trim());
            Assert.Matches($@"(?m)^{nodeName}\s+NotReady\s", await host.KubectlOkAsync("get", "nodes"));
            var taints = await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "node", nodeName, "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}"),
                o => o.Contains("node.kubernetes.io/unreachable:NoExecute", StringComparison.Ordinal), Patience, "the unreachable taints");
            Assert.Contains("node.kubernetes.io/unreachable:NoSchedule", taints, StringComparison.Ordinal);

            // After their 5 s toleration the taint manager deletes them; the ReplicaSet replaces them on the live node.
            var after = await Eventually.WaitAsync(
                () => PodsAsync(ns, label),
                pods => pods.Count(p => !p.Terminating && p.Node == host.NodeName) == 2, Patience, "two replacements on the local node");
            Assert.Empty(after.Where(p => !p.Terminating).Select(p => p.Name).Intersect(before.Select(p => p.Name)));
            var events = await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "events", "-n", ns),
                o => before.All(p => o.Contains($"Marking for deletion Pod {ns}/{p.Name}", StringComparison.Ordinal)), Patience, "the taint manager's events");
            Assert.Contains("TaintManagerEviction", events, StringComparison.Ordinal);
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod", "-l", "app=" + label, "--field-selector", "spec.nodeName=" + host.NodeName, "--timeout=120s");
            var wide = await host.KubectlOkAsync("get", "pods", "-n", ns, "-o", "wide");
            foreach (var pod in after.Where(p => !p.Terminating))
            {
                Assert.Matches($@"(?m)^{pod.Name}\s+1/1\s+Running\s+\d+\s+\S+\s+\S+\s+{host.NodeName}\s", wide);
            }

            // An evicted pod still listed is Terminating, marked by the taint manager, and not Ready.
            foreach (var old in after.Where(p => before.Any(b => b.Name == p.Name)))
            {
                var json = await E2E.GetPodJsonAsync(host, ns, old.Name);
                var conditions = json.GetProperty("status").GetProperty("conditions").EnumerateArray().ToList();
                Assert.Contains(conditions, c => c.GetProperty("type").GetString() == "DisruptionTarget" && c.GetProperty("reason").GetString() == "DeletionByTaintManager");
                Assert.Contains(conditions, c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "False");
            }

            // The kubelet comes back: the node is Ready again and the controller lifts its taints.
            kubelet.StartHeartbeats();
            await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "nodes"), o => System.Text.RegularExpressions.Regex.IsMatch(o, $@"(?m)^{nodeName}\s+Ready\s"), Patience,
                "the node Ready again");
            await Eventually.WaitAsync(
                () => host.KubectlOkAsync("get", "node", nodeName, "-o", "jsonpath={.spec.taints}"), o => o.Trim().Length == 0, Patience, "the taints lifted");
        }
        finally
        {
            await kubelet.StopHeartbeatsAsync();
            await host.KubectlAsync("uncordon", host.NodeName);
            await host.KubectlAsync("delete", "namespace", ns, "--wait=false");
            await host.KubectlAsync("delete", "node", nodeName, "--wait=false");
        }
    }

    private async Task<List<PodRow>> PodsAsync(string ns, string label)
    {
        var json = await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=" + label, "-o", "json");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("items").EnumerateArray().Select(p => new PodRow(
            p.GetProperty("metadata").GetProperty("name").GetString()!,
            p.GetProperty("spec").TryGetProperty("nodeName", out var node) ? node.GetString() : null,
            p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _))).ToList();
    }

    private sealed record PodRow(string Name, string? Node, bool Terminating);

    /// <summary>
    /// A kubelet on a machine of its own, as far as the API sees one: it registers its Node and posts the node's status
    /// (conditions with a fresh <c>lastHeartbeatTime</c>, capacity, addresses) through the status subresource every 2 s
    /// while it lives.
    /// </summary>
    private sealed class PlayedKubelet(Kubernetes client, string name) : IDisposable
    {
        private CancellationTokenSource? _stop;
        private Task? _loop;
        private DateTimeOffset _readySince;

        public async Task RegisterAsync()
        {
            await client.CoreV1.CreateNodeAsync(new V1Node
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string>
                    {
                        ["kubernetes.io/hostname"] = name, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
                    },
                },
            });
        }

        public void StartHeartbeats()
        {
            _readySince = DateTimeOffset.UtcNow;
            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _loop = Task.Run(async () =>
            {
                while (!token.IsCancellationRequested)
                {
                    try
                    {
                        await PostStatusAsync(token);
                        await Task.Delay(TimeSpan.FromSeconds(2), token);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (HttpRequestException)
                    {
                        // A loaded machine: the next heartbeat tries again, as a kubelet does.
                    }
                    catch (k8s.Autorest.HttpOperationException)
                    {
                    }
                }
            }, token);
        }

        public async Task StopHeartbeatsAsync()
        {
            if (_stop is null || _loop is null)
            {
                return;
            }

            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
            _stop = null;
            _loop = null;
        }

        public void Dispose() => _stop?.Dispose();

        private async Task PostStatusAsync(CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var since = _readySince.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            object Condition(string type, string status, string reason, string message) => new
            {
                type, status, reason, message, lastHeartbeatTime = now, lastTransitionTime = since,
            };
            var resources = new Dictionary<string, string> { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110" };
            var patch = new
            {
                status = new
                {
                    capacity = resources,
                    allocatable = resources,
                    addresses = new[] { new { type = "InternalIP", address = "127.0.0.1" }, new { type = "Hostname", address = name } },
                    nodeInfo = new
                    {
                        kubeletVersion = "v1.32.0", containerRuntimeVersion = "containerd://1.7.24", operatingSystem = "linux", architecture = "amd64",
                        osImage = "Debian GNU/Linux 12 (bookworm)", kernelVersion = "6.1.0", machineID = name, systemUUID = name, bootID = name,
                        kubeProxyVersion = "v1.32.0",
                    },
                    conditions = new[]
                    {
                        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                        Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                    },
                },
            };
            await client.CoreV1.PatchNodeStatusAsync(
                new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch), name, cancellationToken: cancellationToken);
        }
    }
}
