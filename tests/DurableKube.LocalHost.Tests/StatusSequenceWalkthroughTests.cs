namespace DurableKube.LocalHost.Tests;

/// <summary>
/// <c>kubectl get pods -w</c> shows the STATUS sequence a cluster shows: ContainerCreating before Running, and a crashing
/// container's exit as Error before its CrashLoopBackOff (the kubelet writes the termination when it sees the exit, the
/// back-off at its next sync). Order of first appearances only, never timing, so a loaded machine cannot fail it.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class StatusSequenceWalkthroughTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_crash_looping_pod_shows_Error_before_CrashLoopBackOff_under_kubectl_get_pods_w()
    {
        var ns = E2E.UniqueNamespace("status");
        await E2E.CreateNamespaceAsync(host, ns);
        // kubectl -w prints nothing for an empty list: a pod that is there first shows when the watch has begun, so the
        // crashing pod is created only then and none of its writes is missed.
        await host.KubectlOkAsync("run", "marker", "-n", ns, "--image=busybox:1.36", "--restart=Never", "--command", "--", "sleep", "300");
        using var watch = new KubectlProcess(host.Kubeconfig, "get", "pods", "-n", ns, "-w");
        await Eventually.WaitAsync(() => Task.FromResult(watch.Output), o => o.Contains("marker", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "kubectl's list");

        var manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: crashing
            spec:
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "exit 1"]
            """;
        await host.KubectlOkAsync("apply", "-n", ns, "-f", E2E.Manifest(host, manifest));

        var statuses = await Eventually.WaitAsync(
            () => Task.FromResult(Statuses(watch.Output, "crashing")),
            s => s.Contains("CrashLoopBackOff") && s.LastIndexOf("Running") > s.IndexOf("CrashLoopBackOff"),
            TimeSpan.FromSeconds(120),
            "the pod to crash-loop and restart");
        await host.KubectlOkAsync("delete", "pod", "crashing", "marker", "-n", ns, "--wait=false");

        var order = string.Join(" ", statuses);
        // A run that exits at once may be seen exited before its Running is written (so may a kubelet's): ContainerCreating,
        // then Error, with or without Running between.
        Assert.True(statuses.IndexOf("ContainerCreating") is >= 0 and var creating && creating < statuses.IndexOf("Error"), order);
        Assert.True(statuses.IndexOf("Error") < statuses.IndexOf("CrashLoopBackOff"), order);
        // Every CrashLoopBackOff follows an Error of its own run: none comes straight after Running.
        for (var i = 1; i < statuses.Count; i++)
        {
            Assert.False(statuses[i] == "CrashLoopBackOff" && statuses[i - 1] == "Running", order);
        }
    }

    /// <summary>The STATUS column of a pod's rows, in the order kubectl printed them, consecutive repeats folded.</summary>
    private static List<string> Statuses(string output, string pod)
    {
        var statuses = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 3 && columns[0] == pod && (statuses.Count == 0 || statuses[^1] != columns[2]))
            {
                statuses.Add(columns[2]);
            }
        }

        return statuses;
    }
}
