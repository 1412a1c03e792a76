using k8s;
using System.Text.RegularExpressions;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The host is killed with SIGKILL while pods run, then started again with scripts/up.sh: nothing is
/// lost, running containers were left running and are picked up again, and every pod goes on from
/// where it was.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class HostRestartTests(LocalHostFixture host)
{
    [Fact]
    public async Task Kill_9_then_up_again_loses_nothing_and_pods_go_on()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("crash");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedPodAsync(Pod("server", "Always", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("finished", "Never", "echo finished"), ns);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("looper", "Always", "echo looping; exit 1"), ns);

        var server = await Eventually.WaitAsync(() => client.CoreV1.ReadNamespacedPodAsync("server", ns), p => p.Status?.Phase == "Running", TimeSpan.FromSeconds(60), "server to run");
        await Eventually.WaitAsync(() => client.CoreV1.ReadNamespacedPodAsync("finished", ns), p => p.Status?.Phase == "Succeeded", TimeSpan.FromSeconds(60), "finished to succeed");
        var looper = await Eventually.WaitAsync(() => client.CoreV1.ReadNamespacedPodAsync("looper", ns), p => p.Status?.ContainerStatuses?[0].RestartCount >= 1, TimeSpan.FromSeconds(60), "looper to restart");
        var serverContainer = server.Status.ContainerStatuses[0];
        var ticksBefore = await LastTickAsync(ns);

        await host.KillHostAsync();
        var up = await host.UpAsync();
        Assert.True(up.ExitCode == 0, $"scripts/up.sh after the crash failed: {up.Output}\n{host.HostLog()}");

        using var after = host.CreateClient();
        // The server's container was never stopped: same run, same start, no restart, and its log went on.
        var serverAfter = await after.CoreV1.ReadNamespacedPodAsync("server", ns);
        Assert.Equal("Running", serverAfter.Status.Phase);
        Assert.Equal(serverContainer.ContainerID, serverAfter.Status.ContainerStatuses[0].ContainerID);
        Assert.Equal(0, serverAfter.Status.ContainerStatuses[0].RestartCount);
        Assert.Equal(serverContainer.State.Running.StartedAt, serverAfter.Status.ContainerStatuses[0].State.Running.StartedAt);
        await Eventually.WaitAsync(() => LastTickAsync(ns), t => t > ticksBefore + 5, TimeSpan.FromSeconds(30), "the server's log to go on");

        // The finished pod stays finished; the crash loop goes on counting.
        Assert.Equal("Succeeded", (await after.CoreV1.ReadNamespacedPodAsync("finished", ns)).Status.Phase);
        var before = looper.Status.ContainerStatuses[0].RestartCount;
        await Eventually.WaitAsync(
            () => after.CoreV1.ReadNamespacedPodAsync("looper", ns),
            p => p.Status.ContainerStatuses[0].RestartCount >= before + 2,
            TimeSpan.FromSeconds(60),
            "looper to keep restarting");

        // And the restarted host still creates and runs new pods.
        await after.CoreV1.CreateNamespacedPodAsync(Pod("newcomer", "Never", "echo hello again"), ns);
        await Eventually.WaitAsync(() => after.CoreV1.ReadNamespacedPodAsync("newcomer", ns), p => p.Status?.Phase == "Succeeded", TimeSpan.FromSeconds(60), "newcomer to succeed");

        foreach (var name in new[] { "server", "finished", "looper", "newcomer" })
        {
            await after.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 1);
        }
    }

    private async Task<int> LastTickAsync(string ns)
    {
        var log = await host.KubectlOkAsync("logs", "server", "-n", ns, "--tail=1");
        var match = Regex.Match(log, @"tick (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static V1Pod Pod(string name, string restartPolicy, string script) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", script] }],
        },
    };
}
