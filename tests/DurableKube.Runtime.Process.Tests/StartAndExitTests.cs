using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.Tests;

public sealed class StartAndExitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task A_run_that_exits_reports_its_exit_code(int code)
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", $"exit {code}");

        var started = await runtime.StartContainerAsync(launch);
        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(launch.Id, started.Id);
        Assert.Equal(code, exited.ExitCode);
        Assert.Null(exited.Reason);
        Assert.False(exited.Acknowledged);
        Assert.NotNull(exited.FinishedAt);
        Assert.True(exited.FinishedAt >= exited.StartedAt.AddMilliseconds(-50));
    }

    [Fact]
    public async Task A_start_of_an_attempt_older_than_the_containers_latest_run_is_refused_and_runs_nothing()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var runs = Path.Combine(root.Path, "runs.txt");
        ContainerLaunch Attempt(int attempt) => TestRoot.Launch("p1", "app", attempt, "sh", "-c", $"echo run >> {runs}; exit 1");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await runtime.StartContainerAsync(Attempt(attempt));
            await TestRoot.WaitForExitAsync(runtime, Attempt(attempt).Id);
        }

        // Run 0 is gone (only the latest run and the one before are kept); a redelivered sync asks for it again.
        Assert.Null(await runtime.GetContainerAsync(Attempt(0).Id));
        var refused = await Assert.ThrowsAsync<ContainerRunSupersededException>(() => runtime.StartContainerAsync(Attempt(0)));

        Assert.Equal(2, refused.LatestAttempt);
        Assert.Equal(3, File.ReadAllLines(runs).Length);
        Assert.Equal(1, (await runtime.StartContainerAsync(Attempt(1))).Id.Attempt); // The run before the latest is kept: found, not refused.
        Assert.Equal(3, File.ReadAllLines(runs).Length);
    }

    [Fact]
    public async Task Environment_is_exactly_the_launch_environment_plus_PATH_and_HOSTNAME()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "env") with
        {
            Environment = [new("FOO", "bar baz"), new("spring.profiles.active", "dev"), new("QUOTE", "it's \"quoted\"")],
        };

        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = (await TestRoot.ReadLogAsync(runtime, launch.Id)).Select(l => l.Content).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            new[]
            {
                "FOO=bar baz",
                "HOSTNAME=pod-p1",
                $"PATH={LaunchCheck.DefaultPath}",
                "QUOTE=it's \"quoted\"",
                "spring.profiles.active=dev",
            },
            lines);
    }

    [Fact]
    public async Task Environment_and_working_directory_reach_the_process()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var workingDirectory = Path.Combine(root.Path, "work dir");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo $FOO; pwd; echo $HOSTNAME") with
        {
            Environment = [new("FOO", "hello"), new("HOSTNAME", "custom"), new("PATH", "/usr/bin:/bin")],
            WorkingDirectory = workingDirectory,
        };

        await runtime.StartContainerAsync(launch);
        await TestRoot.WaitForExitAsync(runtime, launch.Id);
        var lines = (await TestRoot.ReadLogAsync(runtime, launch.Id)).Select(l => l.Content).ToList();

        Assert.Equal(["hello", workingDirectory, "custom"], lines);
    }

    [Fact]
    public async Task The_default_working_directory_is_the_pods_sandbox_shared_by_its_containers()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var writer = TestRoot.Launch("p1", "writer", 0, "sh", "-c", "echo shared > note; pwd");
        var reader = TestRoot.Launch("p1", "reader", 0, "cat", "note");

        await runtime.StartContainerAsync(writer);
        await TestRoot.WaitForExitAsync(runtime, writer.Id);
        await runtime.StartContainerAsync(reader);
        var read = await TestRoot.WaitForExitAsync(runtime, reader.Id);

        Assert.Equal(0, read.ExitCode);
        Assert.Equal(Path.Combine(root.Path, "pods", "p1", "sandbox"), (await TestRoot.ReadLogAsync(runtime, writer.Id)).Single().Content);
        Assert.Equal("shared", (await TestRoot.ReadLogAsync(runtime, reader.Id)).Single().Content);
    }

    [Fact]
    public async Task Starting_the_same_run_twice_returns_the_first_run()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");

        var first = await runtime.StartContainerAsync(launch);
        var pid = root.ContainerPid(launch.Id);
        var second = await runtime.StartContainerAsync(launch);

        Assert.Equal(ContainerRunState.Running, first.State);
        Assert.Equal(first, second);
        Assert.Equal(pid, root.ContainerPid(launch.Id));
        Assert.Single(await runtime.ListContainersAsync());
    }

    [Fact]
    public async Task A_missing_executable_is_a_StartError_in_containerds_words_and_nothing_runs()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "no-such-command-here", "arg");

        var status = await runtime.StartContainerAsync(launch);

        Assert.Equal(ContainerRunState.Exited, status.State);
        Assert.Equal(128, status.ExitCode);
        Assert.Equal("StartError", status.Reason);
        Assert.Equal(
            "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: "
            + "unable to start container process: exec: \"no-such-command-here\": executable file not found in $PATH: unknown",
            status.Message);
        Assert.False(File.Exists(root.Run(launch.Id).ShimPid));
        Assert.Equal(status, await runtime.StartContainerAsync(launch));
        Assert.Empty(await TestRoot.ReadLogAsync(runtime, launch.Id));
    }

    [Fact]
    public async Task A_command_missing_from_the_launchs_PATH_is_a_StartError_even_if_the_host_has_it()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "true") with { Environment = [new("PATH", "/nonexistent")] };

        var status = await runtime.StartContainerAsync(launch);

        Assert.Equal("StartError", status.Reason);
        Assert.Contains("exec: \"sh\": executable file not found in $PATH", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_without_a_sandbox_fails()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(
            () => runtime.StartContainerAsync(TestRoot.Launch("nopod", "app", 0, "true")));

        Assert.False(error.Transient);
    }

    [Fact]
    public async Task Only_the_current_and_the_previous_run_of_a_container_are_kept()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var launch = TestRoot.Launch("p1", "app", attempt, "sh", "-c", $"echo run {attempt}; exit {attempt}");
            await runtime.StartContainerAsync(launch);
            await TestRoot.WaitForExitAsync(runtime, launch.Id);
        }

        var runs = await runtime.ListContainersAsync();

        Assert.Equal([1, 2], runs.Select(r => r.Id.Attempt).Order());
        Assert.Null(await runtime.GetContainerAsync(new ContainerRunId("p1", "app", 0)));
        Assert.Equal("run 1", (await TestRoot.ReadLogAsync(runtime, new ContainerRunId("p1", "app", 1))).Single().Content);
        await Assert.ThrowsAsync<ContainerRuntimeException>(() => TestRoot.ReadLogAsync(runtime, new ContainerRunId("p1", "app", 0)));
    }

    [Fact]
    public async Task Acknowledging_an_exit_is_remembered()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var done = TestRoot.Launch("p1", "done", 0, "true");
        var running = TestRoot.Launch("p1", "running", 0, "sleep", "300");
        await runtime.StartContainerAsync(done);
        await runtime.StartContainerAsync(running);
        await TestRoot.WaitForExitAsync(runtime, done.Id);

        await runtime.AcknowledgeExitAsync(done.Id);
        await runtime.AcknowledgeExitAsync(running.Id);
        await runtime.AcknowledgeExitAsync(new ContainerRunId("p1", "unknown", 0));

        Assert.True((await runtime.GetContainerAsync(done.Id))!.Acknowledged);
        Assert.False((await runtime.GetContainerAsync(running.Id))!.Acknowledged);
    }

    [Fact]
    public async Task WatchExits_yields_a_run_when_it_exits()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        await using var exits = runtime.WatchExitsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = exits.MoveNextAsync();
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo bye; exit 5");

        await runtime.StartContainerAsync(launch);

        Assert.True(await next);
        Assert.Equal(launch.Id, exits.Current.Id);
        Assert.Equal(5, exits.Current.ExitCode);
        Assert.Equal("bye", (await TestRoot.ReadLogAsync(runtime, launch.Id)).Single().Content);
    }

    [Fact]
    public async Task The_container_runs_detached_with_default_signal_handling()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);
        var shim = ProcFs.ReadStat(root.ShimPid(launch.Id))!.Value;
        var container = ProcFs.ReadStat(root.ContainerPid(launch.Id))!.Value;
        var self = ProcFs.ReadStat(Environment.ProcessId)!.Value;
        var status = File.ReadAllLines($"/proc/{container.Pid}/status").ToDictionary(l => l.Split(':')[0], l => l.Split(':')[1].Trim());

        // The shim leads its own session (not the test host's), the container its own group and session.
        Assert.Equal(shim.Pid, shim.Session);
        Assert.Equal(shim.Pid, shim.ProcessGroup);
        Assert.NotEqual(self.Session, shim.Session);
        Assert.Equal(shim.Pid, container.ParentPid);
        Assert.Equal(container.Pid, container.ProcessGroup);
        Assert.Equal(container.Pid, container.Session);

        // The shim ignores TERM, INT...; the container ignores and blocks nothing.
        Assert.Equal("0000000000000000", status["SigIgn"]);
        Assert.Equal("0000000000000000", status["SigBlk"]);

        // Nothing of the host (its pipes, the state lock) is held open by the shim or the container.
        Assert.All(
            Directory.GetFiles($"/proc/{shim.Pid}/fd").Concat(Directory.GetFiles($"/proc/{container.Pid}/fd")),
            fd => Assert.DoesNotMatch("pipe:|socket:|runtime\\.lock", new FileInfo(fd).LinkTarget ?? string.Empty));
    }
}
