using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker.Tests;

/// <summary>What the Docker runtime does beyond the shared contract: pods, images, volumes, labels and re-adoption.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The harness is disposed in DisposeAsync, which xunit calls through IAsyncLifetime.")]
public sealed class DockerRuntimeTests : IAsyncLifetime
{
    private readonly DockerHarness _harness = new();
    private DockerContainerRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _runtime = _harness.CreateRuntime();
        await DockerHarness.EnsureTestImageAsync(_runtime);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_running_container_has_usage_figures_from_the_engines_stats_and_the_node_the_hosts()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("top"));
        var busy = DockerHarness.Launch("top", "busy", 0, "sh", "-c", "while :; do :; done");
        await _runtime.StartContainerAsync(busy);

        NodeUsage? usage = null;
        await DockerHarness.EventuallyAsync(async () =>
        {
            usage = await _runtime.GetUsageAsync();
            return usage?.Pods.SingleOrDefault(p => p.PodUid == "top")?.Containers.SingleOrDefault() is { Usage.CpuNanoCores: > 0 };
        });

        var container = Assert.Single(Assert.Single(usage!.Pods, p => p.PodUid == "top").Containers);
        Assert.Equal("busy", container.Name);
        Assert.True(container.Usage.MemoryWorkingSetBytes > 0);
        Assert.True(container.Usage.Window >= UsageSampler.DefaultMinWindow);
        Assert.NotNull(usage.Node);
    }

    [Fact]
    public async Task The_containers_of_a_pod_share_its_network_and_the_pod_has_a_bridge_address()
    {
        var sandbox = await _runtime.CreateSandboxAsync(_harness.Sandbox("net"));
        var server = DockerHarness.Launch("net", "server", 0, "sh", "-c", "while true; do echo hello | nc -l -p 8080; done");
        var client = DockerHarness.Launch("net", "client", 0, "sleep", "3600");
        await _runtime.StartContainerAsync(server);
        await _runtime.StartContainerAsync(client);

        var answer = "";
        await DockerHarness.EventuallyAsync(async () =>
            (answer = (await DockerHarness.ExecAsync(_runtime, client.Id, "sh", "-c", "nc -w 2 127.0.0.1 8080 </dev/null")).Stdout) == "hello\n");

        Assert.Equal(SandboxState.Ready, sandbox.State);
        Assert.NotEqual("127.0.0.1", sandbox.PodIP);
        Assert.NotEqual(sandbox.PodIP, sandbox.HostIP);
        Assert.Equal(sandbox.PodIP, (await DockerHarness.ExecAsync(_runtime, client.Id, "sh", "-c", "hostname -i")).Stdout.Trim());
    }

    [Fact]
    public async Task With_no_command_the_image_runs_its_own_and_args_alone_replace_its_cmd()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("img"));
        var own = DockerHarness.Launch("img", "own", 0);
        var args = DockerHarness.Launch("img", "args", 0) with { EntrypointArgs = ["echo", "replaced"] };
        await _runtime.StartContainerAsync(own);
        await _runtime.StartContainerAsync(args);

        await DockerHarness.EventuallyAsync(async () => (await DockerHarness.ReadLogAsync(_runtime, own.Id)).Any(l => l.Content == "tick 0"));
        var exited = await DockerHarness.WaitForExitAsync(_runtime, args.Id);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal(["replaced"], (await DockerHarness.ReadLogAsync(_runtime, args.Id)).Select(l => l.Content));
    }

    [Fact]
    public async Task Command_replaces_the_entrypoint_with_env_and_working_directory()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("cmd"));
        var launch = new ContainerLaunch(
            new ContainerRunId("cmd", "app", 0), "default", "pod-cmd", DockerHarness.TestImage, ["sh", "-c", "echo $GREETING from $(pwd)"],
            [new("GREETING", "hi")], "/tmp");
        await _runtime.StartContainerAsync(launch);
        await DockerHarness.WaitForExitAsync(_runtime, launch.Id);

        Assert.Equal(["hi from /tmp"], (await DockerHarness.ReadLogAsync(_runtime, launch.Id)).Select(l => l.Content));
    }

    [Fact]
    public async Task A_container_over_its_memory_limit_is_OOMKilled_with_exit_code_137()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("oom"));
        var launch = DockerHarness.Launch("oom", "hog", 0, "sh", "-c", "a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done")
            with { Resources = new ContainerResources(null, null, 16 * 1024 * 1024, 16 * 1024 * 1024) };
        await _runtime.StartContainerAsync(launch);

        var exited = await DockerHarness.WaitForExitAsync(_runtime, launch.Id);

        Assert.Equal(("OOMKilled", 137), (exited.Reason, exited.ExitCode));
    }

    [Fact]
    public async Task A_missing_image_with_pull_policy_Never_holds_the_pod_with_ErrImageNeverPull()
    {
        var spec = _harness.Sandbox("never") with { Images = [new ContainerImage("app", "durablekube-test/absent:1", ImagePullPolicies.Never)] };

        var status = await _runtime.CreateSandboxAsync(spec);

        Assert.Equal(SandboxState.Pending, status.State);
        var waiting = Assert.Single(status.Waiting);
        Assert.Equal(("app", "ErrImageNeverPull", "Container image \"durablekube-test/absent:1\" is not present with pull policy of Never"), (waiting.Container, waiting.Reason, waiting.Message));
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_shows_ErrImagePull_then_ImagePullBackOff()
    {
        var spec = _harness.Sandbox("pull") with
        {
            Images = [new ContainerImage("app", "doesnotexist.invalid/none:1", ImagePullPolicies.IfNotPresent), new ContainerImage("side", DockerHarness.TestImage, ImagePullPolicies.IfNotPresent)],
        };

        SandboxStatus first = null!;
        await DockerHarness.EventuallyAsync(async () => (first = await _runtime.CreateSandboxAsync(spec)).Waiting.Any(w => w.Reason != "ContainerCreating"));
        var second = await _runtime.CreateSandboxAsync(spec);

        Assert.Equal(SandboxState.Pending, first.State);
        var failed = first.Waiting.Single(w => w.Container == "app");
        Assert.Equal("ErrImagePull", failed.Reason);
        Assert.Contains("doesnotexist.invalid/none:1", failed.Message, StringComparison.Ordinal);
        Assert.Equal("ContainerCreating", first.Waiting.Single(w => w.Container == "side").Reason);
        Assert.Equal(("ImagePullBackOff", "Back-off pulling image \"doesnotexist.invalid/none:1\""), (second.Waiting.Single(w => w.Container == "app").Reason, second.Waiting.Single(w => w.Container == "app").Message));
    }

    [Fact]
    public async Task Every_container_carries_the_labels_and_removal_leaves_containers_without_them_alone()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("lbl"));
        var app = DockerHarness.Launch("lbl", "app", 0, "sleep", "3600");
        await _runtime.StartContainerAsync(app);
        var foreign = await _runtime.Client.Containers.CreateContainerAsync(new global::Docker.DotNet.Models.CreateContainerParameters
        {
            Image = DockerHarness.TestImage,
            Cmd = ["sleep", "1"],
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["io.durablekube.node"] = _harness.NodeName },
        });

        var ours = await _harness.OurContainersAsync();
        var run = ours.Single(c => c.Labels.TryGetValue("io.durablekube.container", out var name) && name == "app");
        await _runtime.RemoveSandboxAsync("lbl");
        var left = await _harness.OurContainersAsync();

        Assert.Equal(
            ("lbl", "default", "pod-lbl", "app", "0", _harness.NodeName),
            (run.Labels["io.durablekube.pod-uid"], run.Labels["io.durablekube.pod-namespace"], run.Labels["io.durablekube.pod-name"],
             run.Labels["io.durablekube.container"], run.Labels["io.durablekube.attempt"], run.Labels["io.durablekube.node"]));
        Assert.Contains(ours, c => c.Labels.ContainsKey("io.durablekube.sandbox"));
        Assert.Equal([foreign.ID], left.Select(c => c.ID));
        Assert.DoesNotContain(await _runtime.ListContainersAsync(), r => r.Id.PodUid == "lbl");
    }

    [Fact]
    public async Task A_new_runtime_on_the_same_engine_adopts_the_running_containers()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("adopt"));
        var app = DockerHarness.Launch("adopt", "app", 0, "sh", "-c", "trap 'exit 143' TERM; echo up; sleep 3600 & wait");
        var started = await _runtime.StartContainerAsync(app);

        var successor = _harness.CreateRuntime();
        var listed = (await successor.ListContainersAsync()).Single(r => r.Id == app.Id);
        var again = await successor.StartContainerAsync(app);
        await DockerHarness.EventuallyAsync(async () => (await DockerHarness.ReadLogAsync(successor, app.Id)).Any(l => l.Content == "up"));
        await successor.StopContainerAsync(app.Id, StopMode.Graceful);
        var exited = await DockerHarness.WaitForExitAsync(successor, app.Id);

        Assert.Equal((ContainerRunState.Running, started.StartedAt), (listed.State, listed.StartedAt));
        Assert.Equal(started.StartedAt, again.StartedAt);
        Assert.Equal(143, exited.ExitCode);
    }

    [Fact]
    public async Task Volumes_emptyDir_is_shared_and_a_files_volume_update_is_seen_at_once_except_through_a_subPath()
    {
        var files = new SandboxVolume("config", SandboxVolumeKind.Files) { Files = [new VolumeFile("greeting", "one"u8.ToArray()), new VolumeFile("conf/app.yaml", "a: 1"u8.ToArray(), 0x180)] };
        await _runtime.CreateSandboxAsync(_harness.Sandbox("vol", new SandboxVolume("shared", SandboxVolumeKind.EmptyDir), files));
        var writer = DockerHarness.Launch("vol", "writer", 0, "sh", "-c", "echo written > /data/out; sleep 3600")
            with { VolumeMounts = [new VolumeMountSpec("shared", "/data")] };
        var reader = DockerHarness.Launch("vol", "reader", 0, "sleep", "3600")
            with { VolumeMounts = [new VolumeMountSpec("shared", "/in"), new VolumeMountSpec("config", "/etc/config"), new VolumeMountSpec("config", "/etc/greeting", true) { SubPath = "greeting" }] };
        await _runtime.StartContainerAsync(writer);
        await _runtime.StartContainerAsync(reader);

        await DockerHarness.EventuallyAsync(async () => (await DockerHarness.ExecAsync(_runtime, reader.Id, "cat", "/in/out")).Stdout == "written\n");
        var before = (await DockerHarness.ExecAsync(_runtime, reader.Id, "cat", "/etc/config/greeting")).Stdout;
        var mode = (await DockerHarness.ExecAsync(_runtime, reader.Id, "stat", "-L", "-c", "%a", "/etc/config/conf/app.yaml")).Stdout.Trim();
        var write = await DockerHarness.ExecAsync(_runtime, reader.Id, "sh", "-c", "echo x > /etc/config/new");
        await _runtime.UpdateVolumeAsync("vol", files with { Files = [new VolumeFile("greeting", "two"u8.ToArray())] });
        var after = (await DockerHarness.ExecAsync(_runtime, reader.Id, "cat", "/etc/config/greeting")).Stdout;
        var gone = await DockerHarness.ExecAsync(_runtime, reader.Id, "cat", "/etc/config/conf/app.yaml");
        var pinned = (await DockerHarness.ExecAsync(_runtime, reader.Id, "cat", "/etc/greeting")).Stdout;

        Assert.Equal(("one", "600", "two", "one"), (before, mode, after, pinned));
        Assert.NotEqual(0, write.Code);
        Assert.NotEqual(0, gone.Code);
    }

    [Fact]
    public async Task A_privileged_container_is_refused_unless_the_node_allows_it()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("priv"));
        var launch = DockerHarness.Launch("priv", "app", 0, "sleep", "3600") with { Privileged = true };

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.StartContainerAsync(launch));

        Assert.False(error.Transient);
        Assert.Contains("Runtime__Docker__AllowPrivileged=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_previous_run_keeps_its_log_until_the_next_run()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("prev"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var run = DockerHarness.Launch("prev", "app", attempt, "echo", $"run {attempt}");
            await _runtime.StartContainerAsync(run);
            await DockerHarness.WaitForExitAsync(_runtime, run.Id);
        }

        Assert.Equal(["run 1"], (await DockerHarness.ReadLogAsync(_runtime, new ContainerRunId("prev", "app", 1))).Select(l => l.Content));
        Assert.Null(await _runtime.GetContainerAsync(new ContainerRunId("prev", "app", 0)));
    }

    [Fact]
    public async Task Exits_stream_from_the_engine_events()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("watch"));
        using var cancel = new CancellationTokenSource(DockerHarness.Patience);
        var enumerator = _runtime.WatchExitsAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = enumerator.MoveNextAsync().AsTask();
        await Task.Delay(500);
        var run = DockerHarness.Launch("watch", "app", 0, "sh", "-c", "exit 7");

        await _runtime.StartContainerAsync(run);

        Assert.True(await next);
        Assert.Equal((run.Id, 7), (enumerator.Current.Id, enumerator.Current.ExitCode));
        await cancel.CancelAsync();
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task Exec_with_a_terminal_and_attach_carry_the_streams()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("tty"));
        var app = DockerHarness.Launch("tty", "app", 0, "sh", "-c", "while read line; do echo got $line; done") with { Stdin = true };
        await _runtime.StartContainerAsync(app);

        await using (var exec = await _runtime.ExecAsync(app.Id, new ExecSpec(["sh", "-c", "tty; echo err >&2"]) { Tty = true }))
        {
            await exec.ResizeAsync(100, 30);
            var output = await new StreamReader(exec.Stdout).ReadToEndAsync();
            Assert.Null(exec.Stderr);
            Assert.Contains("/dev/pts/", output, StringComparison.Ordinal);
            Assert.Contains("err", output, StringComparison.Ordinal);
            Assert.Equal(0, await exec.Exited);
        }

        await using var attach = await _runtime.AttachAsync(app.Id, stdin: true);
        await attach.Stdin!.WriteAsync(Encoding.UTF8.GetBytes("ping\n"));
        var buffer = new byte[64];
        var read = await attach.Stdout.ReadAsync(buffer).AsTask().WaitAsync(DockerHarness.Patience);

        Assert.Equal("got ping\n", Encoding.UTF8.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task Attach_to_a_container_with_tty_gets_its_terminal_and_resizes_it()
    {
        await _runtime.CreateSandboxAsync(_harness.Sandbox("tty-attach"));
        var app = DockerHarness.Launch("tty-attach", "app", 0, "sh", "-c", "while read line; do echo \"[$line] $(stty size)\"; done") with { Stdin = true, Tty = true };
        await _runtime.StartContainerAsync(app);

        await using var attach = await _runtime.AttachAsync(app.Id, stdin: true);
        await attach.ResizeAsync(100, 30);
        await attach.Stdin!.WriteAsync(Encoding.UTF8.GetBytes("x\r"));
        var output = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(DockerHarness.Patience);
        while (!output.ToString().Contains("[x] 30 100\r\n", StringComparison.Ordinal))
        {
            var read = await attach.Stdout.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            output.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        // The terminal echoed the input and turned Enter into a newline; there is no separate stderr.
        Assert.StartsWith("x\r\n", output.ToString(), StringComparison.Ordinal);
        Assert.Null(attach.Stderr);
    }
}
