using System.Globalization;
using DurableKube.Testing;
using DurableKube.Testing.Arm;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The local host with an Azure Container Instances node beside its process node, the ACI node speaking ARM's wire
/// format to a fake ARM server over https: pods that tolerate it become container groups, crash and restart as
/// Kubernetes says, survive throttling and quota refusals, and go with their groups.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class AciWalkthroughTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>A pod that tolerates the ACI node's taint and, unless told otherwise, selects it by label.</summary>
    private static V1Pod AciPod(string name, string image, string? cpu = null, bool selectAci = true) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            NodeSelector = selectAci ? new Dictionary<string, string> { ["type"] = "virtual-kubelet" } : null,
            Tolerations = [new V1Toleration { Key = "virtual-kubelet.io/provider", OperatorProperty = "Equal", Value = "azure", Effect = "NoSchedule" }],
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = image,
                    Resources = cpu is null ? null : new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
                },
            ],
        },
    };

    private static Task<V1Pod> WaitForPodAsync(Kubernetes client, string ns, string name, Func<V1Pod, bool> done, string what) =>
        Eventually.WaitAsync(() => client.CoreV1.ReadNamespacedPodAsync(name, ns), done, Patience, what);

    private static int GroupsOf(FakeArmServer arm, string ns) => arm.GroupNames.Count(n => n.Contains(ns, StringComparison.Ordinal));

    [Fact]
    public async Task The_aci_node_is_Ready_with_its_configured_capacity_label_and_taint()
    {
        using var client = host.CreateClient();
        var node = await Eventually.WaitAsync(
            () => client.CoreV1.ReadNodeAsync(host.AciNodeName),
            n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Patience,
            "the ACI node to be Ready");

        Assert.Equal(40m, node.Status.Allocatable["cpu"].ToDecimal());
        Assert.Equal("virtual-kubelet", node.Metadata.Labels["type"]);
        var taint = Assert.Single(node.Spec.Taints);
        Assert.Equal(("virtual-kubelet.io/provider", "azure", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.StartsWith("aci://", node.Status.NodeInfo.ContainerRuntimeVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_from_the_example_becomes_a_container_group_runs_and_goes_with_its_group()
    {
        var ns = E2E.UniqueNamespace("aci");
        await E2E.CreateNamespaceAsync(host, ns);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", Path.Combine(RepositoryRoot.Path, "examples", "aci-pod.yaml"));

        Assert.Contains("condition met", await host.KubectlOkAsync("wait", "-n", ns, "--for=condition=Ready", "pod/aci-hello", "--timeout=90s"), StringComparison.Ordinal);
        using var client = host.CreateClient();
        var pod = await client.CoreV1.ReadNamespacedPodAsync("aci-hello", ns);
        Assert.Equal(host.AciNodeName, pod.Spec.NodeName);
        Assert.False(string.IsNullOrEmpty(pod.Status.PodIP));
        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.StartsWith("aci://", status.ContainerID, StringComparison.Ordinal);
        Assert.NotNull(status.State.Running);

        // One group, holding the image, the request as ACI takes it, and no command (the image's entrypoint runs).
        var group = Assert.Single(host.Arm.GroupNames, n => n.Contains(ns, StringComparison.Ordinal));
        var container = host.Arm.SentBody(group)!["properties"]!["containers"]![0]!["properties"]!;
        Assert.Equal("mcr.microsoft.com/azuredocs/aci-helloworld", (string?)container["image"]);
        Assert.Equal(0.5, (double)container["resources"]!["requests"]!["cpu"]!);
        Assert.Null(container["command"]);

        // kubectl exec reaches the container through ACI's exec API; an argument ACI would split is refused, saying why.
        Assert.Equal("cat /etc/hostname: ran", (await host.KubectlOkAsync("exec", "-n", ns, "aci-hello", "--", "cat", "/etc/hostname")).Trim());
        var session = Assert.Single(host.Arm.ExecSessions, s => s.Group == group);
        Assert.Equal(("hello", "cat /etc/hostname"), (session.Container, session.Command));
        var split = await host.KubectlAsync("exec", "-n", ns, "aci-hello", "--", "sh", "-c", "echo a b");
        Assert.NotEqual(0, split.ExitCode);
        Assert.Contains("Azure Container Instances runs one command line split at spaces, so the argument \"echo a b\" cannot be passed", split.Output, StringComparison.Ordinal);

        await host.KubectlOkAsync("delete", "-n", ns, "pod/aci-hello", "--timeout=90s");
        await Eventually.WaitAsync(() => Task.FromResult(GroupsOf(host.Arm, ns)), n => n == 0, Patience, "the container group to be deleted");
    }

    [Fact]
    public async Task A_crashing_container_restarts_its_group_with_the_kubelets_back_off_and_a_truthful_status()
    {
        var ns = E2E.UniqueNamespace("acicrash");
        await E2E.CreateNamespaceAsync(host, ns);
        var image = $"example.azurecr.io/crasher-{ns}:1";
        host.Arm.ScriptImage(image, ContainerScript.Exits(TimeSpan.FromMilliseconds(500), 3, "starting", "failing"));
        using var client = host.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(AciPod("crasher", image), ns);

        var crashed = await WaitForPodAsync(client, ns, "crasher", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount >= 2, "two restarts of the group");

        var status = crashed.Status.ContainerStatuses[0];
        Assert.Equal(3, (status.LastState?.Terminated ?? status.State.Terminated)!.ExitCode);
        Assert.Equal("Running", crashed.Status.Phase);
        // The group may have just restarted again: its new run prints "starting" a moment after it starts.
        var logs = await Eventually.WaitAsync(
            () => host.KubectlAsync("logs", "-n", ns, "crasher"),
            l => l.ExitCode == 0 && l.StandardOutput.Contains("starting", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the crasher's logs to show its start");
        Assert.Contains("starting", logs.StandardOutput, StringComparison.Ordinal);

        // Still one group: restarts are restarts of that group, never new ones.
        Assert.Equal(1, GroupsOf(host.Arm, ns));
        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task A_group_deleted_behind_our_back_is_made_again_for_a_restarting_pod_and_fails_a_pod_that_never_restarts()
    {
        var ns = E2E.UniqueNamespace("acigone");
        await E2E.CreateNamespaceAsync(host, ns);
        using var client = host.CreateClient();
        var never = AciPod("once", "mcr.microsoft.com/azuredocs/aci-helloworld");
        never.Spec.RestartPolicy = "Never";
        await client.CoreV1.CreateNamespacedPodAsync(AciPod("web", "mcr.microsoft.com/azuredocs/aci-helloworld"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(never, ns);
        foreach (var name in new[] { "web", "once" })
        {
            await WaitForPodAsync(client, ns, name, p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running is not null, $"{name} to run");
        }

        // Someone deletes both groups in the portal.
        var groups = host.Arm.GroupNames.Where(n => n.Contains(ns, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.True(host.Arm.DeleteBehindOurBack(g)));

        // restartPolicy Always: a new group under the same name, the container restarted once, its last state the loss.
        var web = await WaitForPodAsync(client, ns, "web", p => p.Status?.ContainerStatuses?.FirstOrDefault() is { RestartCount: 1, State.Running: not null }, "web to run again in a new group");
        var status = web.Status.ContainerStatuses[0];
        Assert.Equal(("ContainerStatusUnknown", 137), (status.LastState.Terminated.Reason, status.LastState.Terminated.ExitCode));
        Assert.Contains("deleted outside DurableKube", status.LastState.Terminated.Message, StringComparison.Ordinal);
        var webGroup = Assert.Single(groups, g => g.Contains("-web-", StringComparison.Ordinal));
        Assert.Contains(webGroup, host.Arm.GroupNames);
        var events = await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedEventAsync(ns)).Items,
            items => items.Any(e => e.InvolvedObject.Name == "web" && e.Reason == "SandboxChanged"),
            Patience,
            "the SandboxChanged event");
        Assert.Contains(events, e => e.InvolvedObject.Name == "web" && e.Message == "Pod sandbox changed, it will be killed and re-created.");

        // restartPolicy Never: no new group; the container is lost as the kubelet reports it, and the pod fails.
        var once = await WaitForPodAsync(client, ns, "once", p => p.Status?.Phase == "Failed", "once to fail");
        Assert.Equal(("ContainerStatusUnknown", 137), (once.Status.ContainerStatuses[0].State.Terminated.Reason, once.Status.ContainerStatuses[0].State.Terminated.ExitCode));
        Assert.DoesNotContain(host.Arm.GroupNames, g => g.Contains("-once-", StringComparison.Ordinal) && g.Contains(ns, StringComparison.Ordinal));

        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }

    [Fact]
    public async Task Throttling_server_errors_and_a_quota_refusal_lose_and_duplicate_no_pod()
    {
        var ns = E2E.UniqueNamespace("acifault");
        await E2E.CreateNamespaceAsync(host, ns);
        using var client = host.CreateClient();

        // web-0's group is refused by the quota until the test lifts it; around it ARM throttles, fails, drops a
        // connection and answers slowly.
        var overQuota = $"dk-{ns}-web-0-";
        host.Arm.Inject(FakeArmFault.QuotaReached(), "PUT", overQuota, times: 10_000);
        host.Arm.Inject(FakeArmFault.Throttle(TimeSpan.FromSeconds(1)), "PUT", ns, times: 2);
        host.Arm.Inject(FakeArmFault.Drop(), "PUT", ns, times: 1);
        host.Arm.Inject(FakeArmFault.ServerError(503), "GET", ns, times: 3);
        host.Arm.Inject(FakeArmFault.Slow(TimeSpan.FromSeconds(3)), "GET", ns, times: 1);
        host.Arm.Inject(FakeArmFault.Throttle(TimeSpan.FromSeconds(1)), "GET", "/containerGroups", times: 2);
        const int Pods = 5;
        for (var i = 0; i < Pods; i++)
        {
            await client.CoreV1.CreateNamespacedPodAsync(AciPod($"web-{i}", "mcr.microsoft.com/azuredocs/aci-helloworld"), ns);
        }

        // While the quota refuses it, web-0 is Pending and says why; the others run.
        var refused = await WaitForPodAsync(
            client, ns, "web-0",
            p => p.Status?.Conditions?.Any(c => c.Type == "PodReadyToStartContainers" && c.Reason == "ContainerGroupQuotaReached") == true,
            "web-0 to show the quota refusal");
        Assert.Equal("Pending", refused.Status.Phase);
        var condition = refused.Status.Conditions.Single(c => c.Type == "PodReadyToStartContainers");
        Assert.Equal("False", condition.Status);
        Assert.Contains("quota 'StandardCores' exceeded in region 'westeurope'", condition.Message, StringComparison.Ordinal);
        await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items,
            pods => pods.Count(p => p.Status?.Phase == "Running") == Pods - 1,
            TimeSpan.FromSeconds(150),
            "every pod but web-0 to run despite the faults");
        refused = await client.CoreV1.ReadNamespacedPodAsync("web-0", ns);
        Assert.Equal("Pending", refused.Status.Phase);
        Assert.Equal("ContainerGroupQuotaReached", refused.Status.Conditions.Single(c => c.Type == "PodReadyToStartContainers").Reason);
        Assert.DoesNotContain(host.Arm.GroupNames, n => n.StartsWith(overQuota, StringComparison.Ordinal));

        // Every injected fault was served: the throttles as 429, the server errors as 503, the drop as no answer at all.
        var requests = host.Arm.Requests;
        Assert.True(requests.Count(r => r.Method == "PUT" && r.Path.Contains(overQuota, StringComparison.Ordinal) && r.Status == 409) >= 2, "the quota refused web-0 more than once");
        Assert.Equal(2, requests.Count(r => r.Method == "PUT" && r.Path.Contains(ns, StringComparison.Ordinal) && r.Status == 429));
        Assert.Equal(1, requests.Count(r => r.Method == "PUT" && r.Path.Contains(ns, StringComparison.Ordinal) && r.Status == 0));
        Assert.Equal(3, requests.Count(r => r.Method == "GET" && r.Path.Contains(ns, StringComparison.Ordinal) && r.Status == 503));
        Assert.True(requests.Count(r => r.Method == "GET" && r.Status == 429) >= 2, "the list was throttled");
        Assert.Single(host.Arm.FaultsServed, f => f.Fault is FakeArmFault.Delay && f.Path.Contains(ns, StringComparison.Ordinal));

        // The quota is raised: web-0 gets its group, and no pod has two.
        Assert.Equal(1, host.Arm.ClearFaults(overQuota));
        var running = await Eventually.WaitAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns)).Items,
            pods => pods.Count == Pods && pods.All(p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses?.All(c => c.Ready) == true),
            TimeSpan.FromSeconds(150),
            "every pod to run once the quota is raised");
        Assert.Equal(Pods, running.Count);
        Assert.Equal(Pods, GroupsOf(host.Arm, ns));

        await host.KubectlOkAsync("delete", "namespace", ns, "--timeout=120s");
        await Eventually.WaitAsync(() => Task.FromResult(GroupsOf(host.Arm, ns)), n => n == 0, Patience, "every group to be deleted");
    }

    [Fact]
    public async Task Pods_go_where_they_fit_across_the_process_and_aci_nodes_and_reads_stay_in_budget()
    {
        var ns = E2E.UniqueNamespace("acimix");
        await E2E.CreateNamespaceAsync(host, ns);
        using var client = host.CreateClient();

        // One CPU more than the process node has fits only the ACI node (40 cores); 100 CPUs fit neither. Neither pod
        // selects a node: the scheduler places them by what fits.
        var local = await client.CoreV1.ReadNodeAsync(host.NodeName);
        var big = ((int)Math.Floor(local.Status.Allocatable["cpu"].ToDecimal()) + 1).ToString(CultureInfo.InvariantCulture);
        await client.CoreV1.CreateNamespacedPodAsync(AciPod("big", "mcr.microsoft.com/azuredocs/aci-helloworld", big, selectAci: false), ns);
        await client.CoreV1.CreateNamespacedPodAsync(AciPod("huge", "mcr.microsoft.com/azuredocs/aci-helloworld", "100", selectAci: false), ns);

        var placed = await WaitForPodAsync(client, ns, "big", p => p.Status?.Phase == "Running", "the big pod to run");
        Assert.Equal(host.AciNodeName, placed.Spec.NodeName);

        var huge = await WaitForPodAsync(client, ns, "huge", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true, "the huge pod to be unschedulable");
        var scheduled = huge.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", scheduled.Reason);
        Assert.Matches(@"^0/\d+ nodes are available: .*\d+ Insufficient cpu", scheduled.Message);

        // The node agent lists the node's groups once per interval and reads each group only when due, backing
        // off while nothing changes: reads per running pod stay far below a poll per pod per interval.
        var from = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(20));
        var group = Assert.Single(host.Arm.GroupNames, n => n.Contains(ns, StringComparison.Ordinal));
        var reads = host.Arm.Requests.Count(r => r.IsRead && r.Time >= from && r.Path.EndsWith(group, StringComparison.OrdinalIgnoreCase));
        Assert.True(reads <= 6, $"the running group was read {reads} times in 20 s (at most 6 expected with reads backing off from 1 s to 8 s)");

        await host.KubectlOkAsync("delete", "namespace", ns, "--wait=false");
    }
}
