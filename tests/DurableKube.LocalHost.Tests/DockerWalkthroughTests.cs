using System.Globalization;
using System.Text.RegularExpressions;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// Pods on the Docker runtime, driven with kubectl as a user would: an image's own command, exec, two containers
/// sharing an emptyDir, an image that cannot be pulled, a memory limit exceeded, and a host killed and started again.
/// </summary>
[Collection(DockerHostCollection.Name)]
[Trait("Category", "Docker")]
public sealed class DockerWalkthroughTests(DockerHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_pod_with_an_image_and_no_command_runs_the_images_own_logs_and_takes_exec()
    {
        var ns = await NamespaceAsync("img");
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: ticker}
            spec:
              containers:
              - name: app
                image: {{DockerHostFixture.Image}}
            """);

        await WaitForPhaseAsync(ns, "ticker", "Running");
        await Eventually.WaitAsync(() => host.KubectlOkAsync("logs", "ticker", "-n", ns), log => log.Contains("tick 1", StringComparison.Ordinal), Patience, "the image's own command to log");
        var exec = await host.KubectlOkAsync("exec", "ticker", "-n", ns, "--", "sh", "-c", "echo inside $(hostname)");
        var podIP = await host.KubectlOkAsync("get", "pod", "ticker", "-n", ns, "-o", "jsonpath={.status.podIP}");
        var id = await host.KubectlOkAsync("get", "pod", "ticker", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].containerID}");

        Assert.Equal("inside ticker\n", exec);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", podIP);
        Assert.StartsWith("docker://", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_containers_share_an_emptyDir()
    {
        var ns = await NamespaceAsync("share");
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: pair}
            spec:
              volumes:
              - name: shared
                emptyDir: {}
              containers:
              - name: writer
                image: {{DockerHostFixture.Image}}
                command: ["sh", "-c", "echo from-writer > /data/message; sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /data}]
              - name: reader
                image: {{DockerHostFixture.Image}}
                command: ["sh", "-c", "until [ -f /in/message ]; do sleep 0.2; done; cat /in/message; sleep 3600"]
                volumeMounts: [{name: shared, mountPath: /in}]
            """);

        await Eventually.WaitAsync(() => host.KubectlOkAsync("logs", "pair", "-n", ns, "-c", "reader"), log => log == "from-writer\n", Patience, "the reader to read the writer's file");
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_shows_ErrImagePull_then_ImagePullBackOff()
    {
        var ns = await NamespaceAsync("pull");
        await ApplyAsync(ns, """
            apiVersion: v1
            kind: Pod
            metadata: {name: missing}
            spec:
              containers:
              - name: app
                image: doesnotexist:1
            """);

        await Eventually.WaitAsync(() => host.KubectlOkAsync("get", "pods", "-n", ns), table => table.Contains("ErrImagePull", StringComparison.Ordinal), Patience, "ErrImagePull");
        await Eventually.WaitAsync(() => host.KubectlOkAsync("get", "pods", "-n", ns), table => table.Contains("ImagePullBackOff", StringComparison.Ordinal), Patience, "ImagePullBackOff");
        var message = await host.KubectlOkAsync("get", "pod", "missing", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.message}");

        Assert.Contains("doesnotexist:1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_that_allocates_past_its_memory_limit_is_OOMKilled()
    {
        var ns = await NamespaceAsync("oom");
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: hog}
            spec:
              restartPolicy: Never
              containers:
              - name: app
                image: {{DockerHostFixture.Image}}
                command: ["sh", "-c", "a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done"]
                resources:
                  limits: {memory: 16Mi}
            """);

        await WaitForPhaseAsync(ns, "hog", "Failed");
        var terminated = await host.KubectlOkAsync("get", "pod", "hog", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}");

        Assert.Equal("OOMKilled 137", terminated.Trim());
    }

    [Fact]
    public async Task Kill_9_of_the_host_leaves_the_container_running_and_the_restarted_host_adopts_it()
    {
        var ns = await NamespaceAsync("adopt");
        await ApplyAsync(ns, $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: survivor}
            spec:
              containers:
              - name: app
                image: {{DockerHostFixture.Image}}
            """);
        await WaitForPhaseAsync(ns, "survivor", "Running");
        var before = await host.KubectlOkAsync("get", "pod", "survivor", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].state.running.startedAt}");
        var dockerStarted = await DockerHostFixture.DockerOkAsync("ps", "-q", "--filter", $"label=io.durablekube.pod-name=survivor", "--filter", $"label=io.durablekube.pod-namespace={ns}", "--filter", "label=io.durablekube.container=app");

        await host.KillHostAsync();
        var stillRunning = await DockerHostFixture.DockerOkAsync("ps", "-q", "--filter", $"label=io.durablekube.pod-name=survivor", "--filter", $"label=io.durablekube.pod-namespace={ns}", "--filter", "label=io.durablekube.container=app");
        var up = await host.UpAsync();
        Assert.True(up.ExitCode == 0, $"scripts/up.sh after the crash failed: {up.Output}\n{host.HostLog()}");
        var ticks = await LastTickAsync(ns);
        await Eventually.WaitAsync(() => LastTickAsync(ns), t => t > ticks + 2, Patience, "the container's log to go on");
        var after = await host.KubectlOkAsync("get", "pod", "survivor", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].state.running.startedAt}");
        var restarts = await host.KubectlOkAsync("get", "pod", "survivor", "-n", ns, "-o", "jsonpath={.status.containerStatuses[0].restartCount}");

        Assert.False(string.IsNullOrWhiteSpace(dockerStarted));
        Assert.Equal(dockerStarted, stillRunning);
        Assert.Equal(before, after);
        Assert.Equal("0", restarts.Trim());
    }

    private async Task<int> LastTickAsync(string ns)
    {
        var log = await host.KubectlOkAsync("logs", "survivor", "-n", ns, "--tail=1");
        var match = Regex.Match(log, @"tick (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private async Task<string> NamespaceAsync(string prefix)
    {
        var ns = E2E.UniqueNamespace(prefix);
        await host.KubectlOkAsync("create", "namespace", ns);
        return ns;
    }

    private async Task ApplyAsync(string ns, string yaml)
    {
        var file = Path.Combine(host.Scratch, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        await host.KubectlOkAsync("apply", "-n", ns, "-f", file);
    }

    private Task WaitForPhaseAsync(string ns, string pod, string phase) =>
        Eventually.WaitAsync(
            () => host.KubectlOkAsync("get", "pod", pod, "-n", ns, "-o", "jsonpath={.status.phase}"),
            p => p.Trim() == phase,
            Patience,
            $"pod {pod} to be {phase}");
}
