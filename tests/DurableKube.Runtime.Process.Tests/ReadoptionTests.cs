using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>
/// A host that dies (here: a runtime that is abandoned without stopping anything, which is what disposing
/// it does) leaves its runs running; a new runtime on the same state directory finds them again.
/// </summary>
public sealed class ReadoptionTests
{
    [Fact]
    public async Task A_new_runtime_re_adopts_a_running_run_keeps_its_log_growing_and_sees_its_exit()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        var launch = TestRoot.Launch("p1", "counter", 0, "sh", "-c", "i=0; while true; do echo $i; i=$((i+1)); sleep 0.2; done");
        await first.StartContainerAsync(launch);
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(first, launch.Id)).Count >= 2);
        var pid = root.ContainerPid(launch.Id);

        await first.DisposeAsync();
        Assert.True(TestRoot.IsAlive(pid), "abandoning the runtime must leave its runs running");
        var second = root.CreateRuntime();
        var adopted = Assert.Single(await second.ListContainersAsync());
        var before = (await TestRoot.ReadLogAsync(second, launch.Id)).Count;
        await TestRoot.EventuallyAsync(async () => (await TestRoot.ReadLogAsync(second, launch.Id)).Count > before + 3);

        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        await using var exits = second.WatchExitsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var next = exits.MoveNextAsync();
        await second.StopContainerAsync(launch.Id, StopMode.Graceful);

        Assert.Equal(ContainerRunState.Running, adopted.State);
        Assert.True(await next);
        Assert.Equal(launch.Id, exits.Current.Id);
        Assert.Equal(143, exits.Current.ExitCode);
        var lines = await TestRoot.ReadLogAsync(second, launch.Id);
        Assert.Equal(Enumerable.Range(0, lines.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Select(l => l.Content));
        Assert.False(TestRoot.IsAlive(pid));
    }

    [Fact]
    public async Task An_exit_while_no_runtime_runs_is_found_with_its_true_finish_time()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "echo before; sleep 1; echo after; exit 3");
        var started = await first.StartContainerAsync(launch);

        await first.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var secondCreatedAt = DateTimeOffset.UtcNow;
        var second = root.CreateRuntime();
        var status = await second.GetContainerAsync(launch.Id);
        var lines = await TestRoot.ReadLogAsync(second, launch.Id);

        Assert.Equal(ContainerRunState.Exited, status!.State);
        Assert.Equal(3, status.ExitCode);
        Assert.Equal(started.StartedAt, status.StartedAt);
        Assert.InRange(status.FinishedAt!.Value, started.StartedAt.AddSeconds(0.9), secondCreatedAt);
        Assert.Equal(["before", "after"], lines.Select(l => l.Content));
        Assert.All(lines, l => Assert.True(l.Time <= secondCreatedAt, "caught-up lines are never later than the file's last write"));
    }

    [Fact]
    public async Task Exits_missed_while_no_runtime_ran_are_yielded_first_by_WatchExits()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        var launch = TestRoot.Launch("p1", "app", 0, "sh", "-c", "sleep 0.5; exit 4");
        await first.StartContainerAsync(launch);
        await first.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var second = root.CreateRuntime();

        using var timeout = new CancellationTokenSource(TestRoot.Patience);
        await using var exits = second.WatchExitsAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await exits.MoveNextAsync());
        Assert.Equal(4, exits.Current.ExitCode);
    }

    [Fact]
    public async Task Only_one_runtime_may_use_a_state_directory_at_a_time()
    {
        await using var root = new TestRoot();
        var first = root.CreateRuntime();
        await TestRoot.CreatePodAsync(first, "p1");
        await first.StartContainerAsync(TestRoot.Launch("p1", "app", 0, "sleep", "300"));
        var second = root.CreateRuntime();

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => second.ListContainersAsync());
        await first.DisposeAsync();
        var third = root.CreateRuntime();

        Assert.True(error.Transient);
        Assert.Single(await third.ListContainersAsync());
    }
}
