using System.Globalization;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>The scheduler's filters on the local process node, driven with kubectl and the official C# client.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class SchedulingWalkthroughTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_pod_asking_for_100_cpus_stays_Pending_as_Unschedulable_and_a_pod_that_fits_runs()
    {
        var ns = E2E.UniqueNamespace("sched");
        await E2E.CreateNamespaceAsync(host, ns);

        // examples/scheduling.yaml: "greedy" asks for 100 CPUs; "modest" asks for 100m and 32Mi on a linux node.
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Path.Combine(DurableKube.Testing.RepositoryRoot.Path, "examples", "scheduling.yaml"));

        Assert.Contains("pod/modest condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/modest", "--timeout=90s"), StringComparison.Ordinal);
        Assert.Equal(host.NodeName, (await host.KubectlOkAsync("get", "pod", "modest", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).Trim());

        Assert.Contains("pod/greedy condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=PodScheduled=False", "pod/greedy", "--timeout=60s"), StringComparison.Ordinal);
        var greedy = await E2E.GetPodJsonAsync(host, ns, "greedy");
        Assert.Equal("Pending", greedy.GetProperty("status").GetProperty("phase").GetString());
        Assert.False(greedy.GetProperty("spec").TryGetProperty("nodeName", out _));
        var scheduled = greedy.GetProperty("status").GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "PodScheduled");
        Assert.Equal("Unschedulable", scheduled.GetProperty("reason").GetString());
        Assert.Matches(
            @"^0/(\d+) nodes are available: (.*, )?\d+ Insufficient cpu(, .*)?\. preemption: 0/\1 nodes are available: .*\d+ No preemption victims found for incoming pod.*\.$",
            scheduled.GetProperty("message").GetString());
        Assert.Matches(@"(?m)^greedy\s+0/1\s+Pending\s+0\s+", await host.KubectlOkAsync("get", "pod", "greedy", "-n", ns));

        await host.KubectlOkAsync("delete", "pod", "modest", "greedy", "-n", ns, "--grace-period=1");
    }

    [Fact]
    public async Task The_CSharp_client_sees_the_nodes_true_capacity_and_node_affinity_steers_pods()
    {
        using var client = host.CreateClient();
        var node = await client.CoreV1.ReadNodeAsync(host.NodeName);
        var onlineCpus = File.ReadAllText("/proc/cpuinfo").Split('\n').Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        Assert.Equal(onlineCpus.ToString(CultureInfo.InvariantCulture), node.Status.Capacity["cpu"].ToString());
        Assert.Equal(node.Status.Capacity["cpu"].ToString(), node.Status.Allocatable["cpu"].ToString());
        Assert.Equal("110", node.Status.Allocatable["pods"].ToString());
        Assert.True(node.Status.Allocatable["memory"].ToDecimal() < node.Status.Capacity["memory"].ToDecimal());

        var ns = E2E.UniqueNamespace("affinity");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedPodAsync(Pod("pinned", new V1NodeSelectorTerm
        {
            MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [host.NodeName] }],
        }), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("elsewhere", new V1NodeSelectorTerm
        {
            MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "NotIn", Values = [host.NodeName] }],
        }), ns);

        var pinned = await Eventually.WaitAsync(
            () => client.CoreV1.ReadNamespacedPodAsync("pinned", ns),
            p => p.Status?.Phase == "Running",
            TimeSpan.FromSeconds(60),
            "pinned pod running");
        Assert.Equal(host.NodeName, pinned.Spec.NodeName);

        var elsewhere = await Eventually.WaitAsync(
            () => client.CoreV1.ReadNamespacedPodAsync("elsewhere", ns),
            p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "Unschedulable") == true,
            TimeSpan.FromSeconds(60),
            "elsewhere pod unschedulable");
        Assert.Null(elsewhere.Spec.NodeName);
        Assert.Matches(
            @"^0/(\d+) nodes are available: (.*, )?\d+ node\(s\) didn't match Pod's node affinity/selector(, .*)?\. preemption: 0/\1 nodes are available: .*Preemption is not helpful for scheduling.*\.$",
            elsewhere.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);

        await client.CoreV1.DeleteNamespacedPodAsync("pinned", ns, gracePeriodSeconds: 1);
        await client.CoreV1.DeleteNamespacedPodAsync("elsewhere", ns, gracePeriodSeconds: 1);
    }

    [Fact]
    public async Task A_pod_no_node_matches_runs_as_soon_as_a_node_is_labelled_to_match_not_at_its_next_retry()
    {
        var ns = E2E.UniqueNamespace("label");
        await E2E.CreateNamespaceAsync(host, ns);
        var label = $"test.durablekube.io/{ns}";
        await host.KubectlOkAsync("run", "picky", "-n", ns, "--image=busybox", "--restart=Never",
            $"--overrides={{\"spec\":{{\"nodeSelector\":{{\"{label}\":\"yes\"}}}}}}", "--command", "--", "sleep", "3600");
        await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=PodScheduled=False", "pod/picky", "--timeout=60s");

        // Unschedulable pods are tried again after 5 minutes when nothing happens (Kubelet__ScheduleRetry, as
        // kube-scheduler's podMaxInUnschedulablePodsDuration); the node's new label is a change that tries it at once.
        await host.KubectlOkAsync("label", "node", host.NodeName, $"{label}=yes");
        try
        {
            await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/picky", "--timeout=60s");
            Assert.Equal(host.NodeName, (await host.KubectlOkAsync("get", "pod", "picky", "-n", ns, "-o", "jsonpath={.spec.nodeName}")).Trim());
        }
        finally
        {
            await host.KubectlOkAsync("label", "node", host.NodeName, $"{label}-");
            await host.KubectlOkAsync("delete", "pod", "picky", "-n", ns, "--grace-period=1");
        }
    }

    private static V1Pod Pod(string name, V1NodeSelectorTerm term) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [term] } },
            },
            Containers = [new V1Container { Name = "app", Image = "busybox", Command = ["sh", "-c", "sleep 3600"] }],
        },
    };
}
