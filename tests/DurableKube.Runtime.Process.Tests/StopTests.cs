using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.State;

namespace DurableKube.Runtime.Process.Tests;

public sealed class StopTests
{
    [Theory]
    [InlineData(StopMode.Graceful, 143)]
    [InlineData(StopMode.Kill, 137)]
    public async Task Stopping_a_run_ends_it_with_128_plus_the_signal(StopMode mode, int code)
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        await runtime.StopContainerAsync(launch.Id, mode);
        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);
        await runtime.StopContainerAsync(launch.Id, mode);
        await runtime.StopContainerAsync(new ContainerRunId("p1", "unknown", 0), mode);

        Assert.Equal(code, exited.ExitCode);
        Assert.Null(exited.Reason);
    }

    [Fact]
    public async Task A_process_that_ignores_SIGTERM_needs_a_kill()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done");
        await runtime.StartContainerAsync(launch);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(runtime, launch.Id)).Count > 0);

        await runtime.StopContainerAsync(launch.Id, StopMode.Graceful);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterTerm = await runtime.GetContainerAsync(launch.Id);
        await runtime.StopContainerAsync(launch.Id, StopMode.Kill);
        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(ContainerRunState.Running, afterTerm!.State);
        Assert.Equal(137, exited.ExitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stop_and_remove_leave_no_process_of_the_group_alive(bool remove)
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "sleep 300 & sleep 300 & (sleep 300; echo never) & echo started; wait");
        await runtime.StartContainerAsync(launch);
        var pid = root.ContainerPid(launch.Id);
        var shim = root.ShimPid(launch.Id);
        await TestRoot.EventuallyAsync(() => TestRoot.GroupMembers(pid).Count >= 5);

        if (remove)
        {
            await runtime.RemoveSandboxAsync("p1");
            await runtime.RemoveSandboxAsync("p1");
        }
        else
        {
            await runtime.StopContainerAsync(launch.Id, StopMode.Graceful);
            Assert.Equal(143, (await TestRoot.WaitForExitAsync(runtime, launch.Id)).ExitCode);
        }

        await TestRoot.EventuallyAsync(() => TestRoot.GroupMembers(pid).Count == 0 && !TestRoot.IsAlive(shim));
        Assert.Equal(remove, !Directory.Exists(Path.Combine(root.Path, "pods", "p1")));
        Assert.Equal(remove ? 0 : 1, (await runtime.ListContainersAsync()).Count);
    }

    [Fact]
    public async Task When_the_main_process_exits_what_it_left_in_its_group_is_killed()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "sleep 300 & echo $!; exit 0");
        await runtime.StartContainerAsync(launch);

        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(0, exited.ExitCode);
        await TestRoot.EventuallyAsync(() => TestRoot.GroupMembers(root.ContainerPid(launch.Id)).Count == 0);
    }

    [Fact]
    public async Task A_run_whose_shim_and_process_were_killed_is_reported_as_ContainerStatusUnknown()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);

        Processes.Signals.Send(root.ShimPid(launch.Id), Processes.Signals.Kill);
        Processes.Signals.Send(root.ContainerPid(launch.Id), Processes.Signals.Kill);
        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(137, exited.ExitCode);
        Assert.Equal("ContainerStatusUnknown", exited.Reason);
        Assert.Equal("The container could not be located when the pod was terminated", exited.Message);
        Assert.Equal(exited, await runtime.GetContainerAsync(launch.Id));
    }

    [Fact]
    public async Task A_run_put_in_place_by_a_runtime_that_died_before_starting_its_shim_never_was_and_a_start_asked_again_runs_it()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 1, "sleep", "300");
        await runtime.StartContainerAsync(launch);
        Processes.Signals.Send(root.ShimPid(launch.Id), Processes.Signals.Kill);
        Processes.Signals.Send(root.ContainerPid(launch.Id), Processes.Signals.Kill);
        await TestRoot.EventuallyAsync(() => !TestRoot.IsAlive(root.ShimPid(launch.Id)) && !TestRoot.IsAlive(root.ContainerPid(launch.Id)));
        await runtime.DisposeAsync();

        // What a runtime SIGKILLed between moving the run's directory into place and starting its shim leaves behind.
        var paths = root.Run(launch.Id);
        File.Delete(paths.ShimPid);
        File.Delete(paths.Pid);
        File.Delete(paths.Child);
        File.Delete(paths.Exit);
        var again = root.CreateRuntime();

        Assert.Null(await again.GetContainerAsync(launch.Id));
        Assert.DoesNotContain(await again.ListContainersAsync(), r => r.Id == launch.Id);
        var started = await again.StartContainerAsync(launch);

        Assert.Equal(ContainerRunState.Running, started.State);
        Assert.True(TestRoot.IsAlive(root.ContainerPid(launch.Id)));
        await again.StopContainerAsync(launch.Id, StopMode.Kill);
        Assert.Equal(137, (await TestRoot.WaitForExitAsync(again, launch.Id)).ExitCode);
        await again.DisposeAsync();
    }

    [Fact]
    public async Task A_run_whose_shim_was_killed_can_still_be_stopped_and_its_exit_is_recorded()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);
        var shim = root.ShimPid(launch.Id);

        Processes.Signals.Send(shim, Processes.Signals.Kill);
        await TestRoot.EventuallyAsync(() => !TestRoot.IsAlive(shim));
        var orphan = await runtime.GetContainerAsync(launch.Id);
        await runtime.StopContainerAsync(launch.Id, StopMode.Kill);
        var exited = await TestRoot.WaitForExitAsync(runtime, launch.Id);

        Assert.Equal(ContainerRunState.Running, orphan!.State);
        Assert.Equal(137, exited.ExitCode);
        Assert.Null(exited.Reason);
        Assert.Empty(TestRoot.GroupMembers(root.ContainerPid(launch.Id)));
    }

    [Fact]
    public async Task A_pid_that_now_names_another_process_is_never_signalled()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        await TestRoot.CreatePodAsync(runtime, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sleep", "300");
        await runtime.StartContainerAsync(launch);
        var paths = root.Run(launch.Id);
        var bystander = root.StartBystander();

        // The shim and the container die unseen, and the container's pid comes to name another process.
        Processes.Signals.Send(root.ShimPid(launch.Id), Processes.Signals.Kill);
        Processes.Signals.Send(root.ContainerPid(launch.Id), Processes.Signals.Kill);
        await TestRoot.EventuallyAsync(() => !TestRoot.IsAlive(root.ShimPid(launch.Id)) && !TestRoot.IsAlive(root.ContainerPid(launch.Id)));
        await runtime.DisposeAsync();
        var recorded = RunFiles.ReadChild(paths.Child);
        File.WriteAllText(paths.Pid, $"{bystander.Id}\n");
        var other = root.CreateRuntime();

        await other.StopContainerAsync(launch.Id, StopMode.Kill);
        var status = await other.GetContainerAsync(launch.Id);
        await other.RemoveSandboxAsync("p1");

        Assert.Equal("ContainerStatusUnknown", status!.Reason);
        Assert.False(bystander.HasExited);
        Assert.True(TestRoot.IsAlive(bystander.Id));
        Assert.NotNull(recorded);
    }
}
