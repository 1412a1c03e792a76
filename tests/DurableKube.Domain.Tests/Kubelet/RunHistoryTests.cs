using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

/// <summary>The bounded run history the pod's workflow keeps, and what it publishes for the restart timeline.</summary>
public sealed class RunHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static ContainerRun Exited(int attempt, int startSecond, int endSecond, int code) =>
        new ContainerRun(attempt, T0.AddSeconds(startSecond)).Exit(T0.AddSeconds(endSecond), code);

    private static PodLifecycleState State(params ContainerTrack[] tracks) =>
        new(new PodIdentity("default", "crash", "uid-1"), PodRestartPolicy.Always, tracks, KubeletSettings.Kubernetes, TimeSpan.FromSeconds(30));

    [Theory]
    // history attempts, runs given (attempt:exited?), expected attempts
    [InlineData("", "0:n", "0")]
    [InlineData("0", "0:y", "0")]
    [InlineData("0,1", "1:y,2:n", "0,1,2")]
    [InlineData("0,1,2,3,4,5,6,7,8,9", "9:y,10:n", "1,2,3,4,5,6,7,8,9,10")]
    [InlineData("3,4", "", "3,4")]
    public void Merge_keeps_one_run_per_attempt_in_order_and_at_most_the_limit(string history, string runs, string expected)
    {
        var old = history.Length == 0 ? [] : history.Split(',').Select(a => Exited(int.Parse(a, System.Globalization.CultureInfo.InvariantCulture), 0, 1, 1)).ToList();
        var given = runs.Length == 0 ? [] : runs.Split(',').Select(r =>
        {
            var attempt = int.Parse(r.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
            return r.EndsWith('y') ? Exited(attempt, 10, 20, 2) : new ContainerRun(attempt, T0.AddSeconds(10));
        }).ToArray();

        var merged = RunHistory.Merge(old, given);

        Assert.Equal(expected, string.Join(',', merged.Select(r => r.Attempt)));
        Assert.True(merged.Count <= RunHistory.Limit);
    }

    [Fact]
    public void A_run_that_exited_since_replaces_its_running_record()
    {
        var running = new ContainerRun(1, T0);
        var merged = RunHistory.Merge([running], running.Exit(T0.AddSeconds(5), 3));

        var only = Assert.Single(merged);
        Assert.Equal(3, only.ExitCode);
    }

    [Fact]
    public void Record_folds_each_tracks_runs_in_and_leaves_the_revision_alone()
    {
        var track = new ContainerTrack("app", ContainerRole.App, Run: new ContainerRun(1, T0.AddSeconds(20)), PreviousRun: Exited(0, 0, 5, 1));
        var state = State(track);

        var recorded = RunHistory.Record(state);
        var again = RunHistory.Record(recorded);

        Assert.Equal([0, 1], recorded.Containers[0].History!.Select(r => r.Attempt));
        Assert.Equal(state.Revision, recorded.Revision);
        Assert.Same(recorded, again);
    }

    [Fact]
    public void Describe_gives_each_run_its_exit_the_back_off_waited_after_it_and_the_pending_restart()
    {
        var history = new[] { Exited(0, 0, 2, 1), Exited(1, 12, 14, 1) };
        var track = new ContainerTrack("app", ContainerRole.App, Run: Exited(2, 34, 36, 137), PreviousRun: history[1],
            Backoff: TimeSpan.FromSeconds(40), RestartAt: T0.AddSeconds(76), History: history);

        var status = RunHistory.Describe(State(track) with { NodeName = "node-1" });

        var container = Assert.Single(status.Containers);
        Assert.Equal("node-1", status.NodeName);
        Assert.Equal("app", container.Name);
        Assert.Equal(2, container.RestartCount);
        Assert.Equal(T0.AddSeconds(76), container.RestartAt);
        Assert.Equal(40, container.BackoffSeconds);
        Assert.Equal([0, 1, 2], container.Runs.Select(r => r.Attempt));
        Assert.Equal([10d, 20d, null], container.Runs.Select(r => r.BackoffSeconds));
        Assert.Equal([1, 1, 137], container.Runs.Select(r => r.ExitCode));
        Assert.Equal(["Error", "Error", "Error"], container.Runs.Select(r => r.Reason));
    }

    [Fact]
    public void A_running_container_has_no_pending_restart()
    {
        var track = new ContainerTrack("app", ContainerRole.App, Run: new ContainerRun(0, T0), RestartAt: T0.AddSeconds(10));

        var container = Assert.Single(RunHistory.Describe(State(track)).Containers);

        Assert.Null(container.RestartAt);
        var run = Assert.Single(container.Runs);
        Assert.Null(run.FinishedAt);
        Assert.Null(run.Reason);
    }

    [Fact]
    public void The_published_status_uses_camel_case_names_whatever_serializer_options_the_backend_has()
    {
        var track = new ContainerTrack("app", ContainerRole.App, Run: Exited(0, 0, 1, 0));

        var json = System.Text.Json.JsonSerializer.Serialize(RunHistory.Describe(State(track)));

        Assert.Contains("\"containers\":[{\"name\":\"app\"", json, StringComparison.Ordinal);
        Assert.Contains("\"exitCode\":0", json, StringComparison.Ordinal);
        Assert.Contains("\"restartAt\":null", json, StringComparison.Ordinal);
    }
}
