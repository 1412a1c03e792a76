namespace DurableKube.LocalHost.Tests;

/// <summary>
/// <c>kubectl cordon</c>, <c>uncordon</c> and <c>drain</c> against the local process node, as a user runs them. The node is
/// always uncordoned at the end: the other tests of the collection share it.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class NodeMaintenanceWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private Task<string> NodeJsonPathAsync(string path) => host.KubectlOkAsync("get", "node", host.NodeName, "-o", "jsonpath=" + path);

    private async Task<string> PodScheduledMessageAsync(string ns, string pod) =>
        (await host.KubectlOkAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}")).Trim();

    [Fact]
    public async Task A_cordoned_node_shows_SchedulingDisabled_and_takes_no_new_pod_until_uncordoned()
    {
        var ns = E2E.UniqueNamespace("cordon");
        await E2E.CreateNamespaceAsync(host, ns);
        try
        {
            Assert.Contains($"node/{host.NodeName} cordoned", await host.KubectlOkAsync("cordon", host.NodeName), StringComparison.Ordinal);
            Assert.Matches($@"(?m)^{host.NodeName}\s+Ready,SchedulingDisabled\s", await host.KubectlOkAsync("get", "nodes"));
            await Eventually.WaitAsync(
                () => NodeJsonPathAsync("{.spec.taints[*].key}"), keys => keys.Contains("node.kubernetes.io/unschedulable", StringComparison.Ordinal), Patience,
                "the unschedulable taint");

            await host.KubectlOkAsync("run", "waiter", "-n", ns, "--image=busybox", "--restart=Never", "--command", "--", "sleep", "3600");
            var message = await Eventually.WaitAsync(
                () => PodScheduledMessageAsync(ns, "waiter"), m => m.Length > 0, Patience, "the scheduler's message");
            Assert.Contains("node(s) were unschedulable", message, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^waiter\s+0/1\s+Pending\s", await host.KubectlOkAsync("get", "pod", "waiter", "-n", ns));

            Assert.Contains($"node/{host.NodeName} uncordoned", await host.KubectlOkAsync("uncordon", host.NodeName), StringComparison.Ordinal);
            Assert.Contains("condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/waiter", "--timeout=90s"), StringComparison.Ordinal);
            Assert.Equal(host.NodeName, (await host.KubectlOkAsync("get", "pod", "waiter", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).Trim());
            Assert.Matches($@"(?m)^{host.NodeName}\s+Ready\s", await host.KubectlOkAsync("get", "nodes"));
            await Eventually.WaitAsync(
                () => NodeJsonPathAsync("{.spec.taints[*].key}"), keys => !keys.Contains("node.kubernetes.io/unschedulable", StringComparison.Ordinal), Patience,
                "the unschedulable taint gone");
        }
        finally
        {
            await host.KubectlAsync("uncordon", host.NodeName);
            await host.KubectlAsync("delete", "namespace", ns, "--wait=false");
        }
    }

    [Fact]
    public async Task Drain_evicts_a_ReplicaSets_pods_through_the_Eviction_API_and_they_come_back_once_uncordoned()
    {
        var ns = E2E.UniqueNamespace("drain");
        await E2E.CreateNamespaceAsync(host, ns);
        var label = "drain-" + ns[^8..];
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
                  containers:
                  - name: web
                    image: busybox
                    command: ["sleep", "3600"]
                    volumeMounts: [{name: scratch, mountPath: /scratch}]
                  volumes:
                  - name: scratch
                    emptyDir: {}
            """);
        try
        {
            await host.KubectlOkAsync("apply", "-n", ns, "-f", manifest);
            await Eventually.WaitAsync(
                async () => (await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=" + label, "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                names => names.Length == 2, Patience, "the ReplicaSet's two pods");
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod", "-l", "app=" + label, "--timeout=90s");
            var before = (await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=" + label, "-o", "jsonpath={.items[*].metadata.name}")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, before.Length);

            // The pod selector keeps the drain to this test's pods: the node is shared with the collection's other tests.
            var drained = await host.KubectlAsync(
                "drain", host.NodeName, "--ignore-daemonsets", "--delete-emptydir-data", "--pod-selector=app=" + label, "--timeout=90s");
            Assert.True(drained.ExitCode == 0, $"kubectl drain failed ({drained.ExitCode}): {drained.Output}");
            Assert.Contains($"node/{host.NodeName} cordoned", drained.Output, StringComparison.Ordinal);
            Assert.All(before, pod => Assert.Contains($"evicting pod {ns}/{pod}", drained.Output, StringComparison.Ordinal));
            Assert.All(before, pod => Assert.Contains($"pod/{pod} evicted", drained.Output, StringComparison.Ordinal));
            Assert.Contains($"node/{host.NodeName} drained", drained.Output, StringComparison.Ordinal);

            // The evicted pods are gone; the ReplicaSet's replacements wait for a schedulable node.
            var after = (await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=" + label, "-o", "jsonpath={.items[*].metadata.name}")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            Assert.Empty(after.Intersect(before));
            var replacements = await Eventually.WaitAsync(
                async () => (await host.KubectlOkAsync("get", "pods", "-n", ns, "-l", "app=" + label, "-o", "jsonpath={.items[*].metadata.name}")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries),
                names => names.Length == 2 && !names.Intersect(before).Any(), Patience, "two replacements");
            foreach (var pod in replacements)
            {
                var message = await Eventually.WaitAsync(() => PodScheduledMessageAsync(ns, pod), m => m.Length > 0, Patience, $"{pod} unschedulable");
                Assert.Contains("node(s) were unschedulable", message, StringComparison.Ordinal);
            }

            await host.KubectlOkAsync("uncordon", host.NodeName);
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod", "-l", "app=" + label, "--timeout=90s");
        }
        finally
        {
            await host.KubectlAsync("uncordon", host.NodeName);
            await host.KubectlAsync("delete", "namespace", ns, "--wait=false");
        }
    }
}
