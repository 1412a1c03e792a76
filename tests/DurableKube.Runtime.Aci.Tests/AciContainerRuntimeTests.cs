using DurableKube.Ports.Runtime;
using DurableKube.Testing.Arm;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Runtime.Aci.Tests;

public sealed class AciContainerRuntimeTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_new_sandbox_is_pending_container_creating_then_ready_and_a_second_create_is_a_read()
    {
        await using var aci = await AciHarness.StartAsync();
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever));

        var first = await aci.Runtime.CreateSandboxAsync(spec);
        var ready = await aci.CreateReadyAsync(spec);

        Assert.Equal(SandboxState.Pending, first.State);
        Assert.Equal([new ContainerWaiting("app", "ContainerCreating")], first.Waiting);
        Assert.Equal(SandboxState.Ready, ready.State);
        Assert.Single(aci.Server.Requests, r => r.Method == "PUT");
        Assert.Single(aci.Server.GroupNames);
        Assert.StartsWith("dk-default-pod-p1-", aci.Server.GroupNames[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quota_refusal_leaves_the_sandbox_pending_with_arms_reason_and_a_later_create_succeeds()
    {
        await using var aci = await AciHarness.StartAsync();
        aci.Server.Inject(FakeArmFault.QuotaReached(), method: "PUT");
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever));

        var refused = await aci.Runtime.CreateSandboxAsync(spec);
        var ready = await aci.CreateReadyAsync(spec);

        Assert.Equal((SandboxState.Pending, "ContainerGroupQuotaReached"), (refused.State, refused.Reason));
        Assert.Contains("quota", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SandboxState.Ready, ready.State);
    }

    [Fact]
    public async Task Throttling_and_server_errors_on_the_way_lose_nothing()
    {
        await using var aci = await AciHarness.StartAsync();
        aci.Server.Inject(FakeArmFault.Throttle(TimeSpan.Zero), times: 2);
        aci.Server.Inject(FakeArmFault.ServerError(503), method: "PUT");
        aci.Server.Inject(FakeArmFault.Drop(), method: "GET");
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Exits(Short, 4)));

        await aci.CreateReadyAsync(spec);
        var exited = await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(new ContainerRunId("p1", "app", 0)), run => run?.State == ContainerRunState.Exited);

        Assert.Equal(4, exited!.ExitCode);
        Assert.Single(aci.Server.GroupNames);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_shows_err_image_pull_with_acis_message()
    {
        await using var aci = await AciHarness.StartAsync();
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.FailsToPull("contract.example/p1-app:1")));

        var status = await Eventually.ReturnsAsync(() => aci.Runtime.CreateSandboxAsync(spec), s => s.Waiting.Any(w => w.Reason != "ContainerCreating"));

        var waiting = Assert.Single(status.Waiting);
        Assert.Equal("ErrImagePull", waiting.Reason);
        Assert.StartsWith("Failed to pull image \"contract.example/p1-app:1\"", waiting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_still_failing_when_acis_back_off_event_repeats_shows_image_pull_back_off_with_acis_message()
    {
        // The fake counts a failing pull's events once per 10 s of its clock: a BackOff seen once is still ErrImagePull.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var aci = await AciHarness.StartAsync(new FakeArmOptions { Time = clock, ProvisioningStep = TimeSpan.FromSeconds(1) });
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.FailsToPull("contract.example/p1-app:1")));
        await aci.Runtime.CreateSandboxAsync(spec);
        clock.Advance(TimeSpan.FromSeconds(2));

        var first = await Eventually.ReturnsAsync(() => aci.Runtime.CreateSandboxAsync(spec), s => s.Waiting.Any(w => w.Reason != "ContainerCreating"));
        clock.Advance(TimeSpan.FromSeconds(15));
        var later = await Eventually.ReturnsAsync(() => aci.Runtime.CreateSandboxAsync(spec), s => s.Waiting.Any(w => w.Reason != "ErrImagePull"));

        Assert.Equal("ErrImagePull", Assert.Single(first.Waiting).Reason);
        Assert.Equal(SandboxState.Pending, later.State);
        Assert.Equal(new ContainerWaiting("app", "ImagePullBackOff", "Back-off pulling image \"contract.example/p1-app:1\""), Assert.Single(later.Waiting));
    }

    [Fact]
    public async Task App_containers_wait_as_pod_initializing_behind_init_containers_which_run_first()
    {
        await using var aci = await AciHarness.StartAsync();
        var init = aci.Launch("p1", "setup", 0, ContainerScript.Exits(TimeSpan.FromMilliseconds(600), 0), ContainerKind.Init);
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        var spec = AciHarness.Spec("p1", init, app);

        var initializing = await Eventually.ReturnsAsync(() => aci.Runtime.CreateSandboxAsync(spec), s => s.Waiting.Count == 1 && s.Waiting[0].Reason == "PodInitializing");
        await aci.CreateReadyAsync(spec);
        var setup = await aci.Runtime.StartContainerAsync(init);
        var started = await aci.Runtime.StartContainerAsync(app);

        Assert.Equal([new ContainerWaiting("app", "PodInitializing")], initializing.Waiting);
        Assert.Equal((ContainerRunState.Exited, 0), (setup.State, setup.ExitCode));
        Assert.Equal(ContainerRunState.Running, started.State);
        Assert.True(started.StartedAt >= setup.FinishedAt);
    }

    [Fact]
    public async Task A_run_not_started_yet_is_a_transient_error()
    {
        await using var aci = await AciHarness.StartAsync(new FakeArmOptions { ProvisioningStep = TimeSpan.FromSeconds(5) });
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.Runtime.CreateSandboxAsync(AciHarness.Spec("p1", app));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => aci.Runtime.StartContainerAsync(app));

        Assert.True(error.Transient);
    }

    [Fact]
    public async Task A_restart_numbers_the_new_runs_with_the_attempt_and_is_idempotent()
    {
        await using var aci = await AciHarness.StartAsync();
        var script = new ContainerScript([new ContainerRunScript(Short, 1), new ContainerRunScript(null, 0)], []);
        var spec = AciHarness.Spec("p1", aci.Launch("p1", "app", 0, script));
        await aci.CreateReadyAsync(spec);
        await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(new ContainerRunId("p1", "app", 0)), run => run?.State == ContainerRunState.Exited);

        await aci.Runtime.RestartSandboxAsync("p1", 1);
        await aci.Runtime.RestartSandboxAsync("p1", 1);
        var run = await Eventually.ReturnsAsync(
            async () => { try { return await aci.Runtime.StartContainerAsync(spec.Containers[0] with { Id = new ContainerRunId("p1", "app", 1) }); } catch (ContainerRuntimeException e) when (e.Transient) { return null; } },
            run => run is not null);

        Assert.Equal((new ContainerRunId("p1", "app", 1), ContainerRunState.Running), (run!.Id, run.State));
        Assert.Single(aci.Server.Requests, r => r.Path.EndsWith("/restart", StringComparison.Ordinal));
        Assert.Null(await aci.Runtime.GetContainerAsync(new ContainerRunId("p1", "app", 0)));
    }

    [Fact]
    public async Task Stopping_stops_the_group_and_its_runs_are_reported_exited()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));

        await aci.Runtime.StopContainerAsync(app.Id, StopMode.Graceful);
        var exited = await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(app.Id), run => run?.State == ContainerRunState.Exited);

        Assert.Equal(137, exited!.ExitCode);
        Assert.Single(aci.Server.Requests, r => r.Path.EndsWith("/stop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_of_a_stopped_group_starts_it_again()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        await aci.Runtime.StopContainerAsync(app.Id, StopMode.Kill);

        await aci.Runtime.RestartSandboxAsync("p1", 1);
        var run = await Eventually.ReturnsAsync(() => aci.Runtime.GetContainerAsync(app.Id with { Attempt = 1 }), run => run is not null);

        Assert.Equal(ContainerRunState.Running, run!.State);
        Assert.Single(aci.Server.Requests, r => r.Path.EndsWith("/start", StringComparison.Ordinal));
        Assert.DoesNotContain(aci.Server.Requests, r => r.Path.EndsWith("/restart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_group_deleted_behind_our_back_reports_its_running_runs_exited_status_unknown()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        await Eventually.ReturnsAsync(() => aci.Runtime.ListContainersAsync(), runs => runs.Any(r => r.Id == app.Id));

        aci.Server.DeleteBehindOurBack(aci.Server.GroupNames[0]);
        // Noticed by a later round: the next list (spaced out while the node holds few groups) or the group's next read.
        var runs = await Eventually.ReturnsAsync(() => aci.Runtime.ListContainersAsync(), runs => runs.All(r => r.State == ContainerRunState.Exited));

        var run = Assert.Single(runs);
        Assert.Equal((ContainerRunState.Exited, "ContainerStatusUnknown"), (run.State, run.Reason));
        Assert.Contains("deleted outside DurableKube", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_of_a_group_deleted_behind_our_back_says_the_sandbox_is_gone_and_a_create_makes_it_again_under_its_name()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        var name = Assert.Single(aci.Server.GroupNames);

        aci.Server.DeleteBehindOurBack(name);
        var gone = await Assert.ThrowsAsync<SandboxNotFoundException>(() => aci.Runtime.RestartSandboxAsync("p1", 1));
        await Assert.ThrowsAsync<SandboxNotFoundException>(() => aci.Runtime.StartContainerAsync(app with { Id = app.Id with { Attempt = 1 } }));

        // Its run is reported lost, as the observation would; the kubelet then creates the sandbox again, as generation 1.
        Assert.Equal(("p1", false), (gone.PodUid, gone.Transient));
        var lost = await aci.Runtime.GetContainerAsync(app.Id);
        Assert.Equal((ContainerRunState.Exited, 137, "ContainerStatusUnknown"), (lost!.State, lost.ExitCode, lost.Reason));
        var again = aci.Launch("p1", "app", 1, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", again));
        var run = await aci.Runtime.StartContainerAsync(again);
        Assert.Equal((ContainerRunState.Running, 1), (run.State, run.Id.Attempt));
        Assert.Equal([name], aci.Server.GroupNames);
        Assert.Equal(2, aci.Server.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Groups_of_other_nodes_and_of_no_pod_are_not_ours()
    {
        await using var aci = await AciHarness.StartAsync();
        await aci.CreateReadyAsync(AciHarness.Spec("p1", aci.Launch("p1", "app", 0, ContainerScript.Forever)));
        await using var other = await AciHarness.StartAsync();

        var runs = await aci.Runtime.ListContainersAsync();

        Assert.All(runs, run => Assert.Equal("p1", run.Id.PodUid));
    }

    [Fact]
    public async Task Removing_deletes_the_group_and_a_second_remove_finds_nothing_to_do()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));

        await aci.Runtime.RemoveSandboxAsync("p1");
        await aci.Runtime.RemoveSandboxAsync("p1");

        Assert.Empty(aci.Server.GroupNames);
        Assert.Null(await aci.Runtime.GetContainerAsync(app.Id));
        Assert.Single(aci.Server.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task A_runtime_started_afresh_finds_its_groups_by_their_tags()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Forever);
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        using var fresh = new AciContainerRuntime(aci.Options, new DurableKube.Runtime.Aci.Arm.ContainerGroupClient(aci.Options.Arm, new FixedTokenCredential(), new DurableKube.Runtime.Aci.Arm.ArmRequestCounter(), aci.Server.CreateTransport()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<AciContainerRuntime>.Instance);

        var run = await fresh.GetContainerAsync(app.Id);
        await fresh.RemoveSandboxAsync("p1");

        Assert.Equal(ContainerRunState.Running, run!.State);
        Assert.Empty(aci.Server.GroupNames);
    }

    [Fact]
    public async Task Watching_yields_each_exit_once_and_acknowledged_exits_are_flagged()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Exits(Short, 2));
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        ContainerRunStatus? seen = null;
        await foreach (var exit in aci.Runtime.WatchExitsAsync(stop.Token))
        {
            seen = exit;
            break;
        }

        await aci.Runtime.AcknowledgeExitAsync(app.Id);
        var listed = Assert.Single(await aci.Runtime.ListContainersAsync());

        Assert.Equal((app.Id, 2), (seen!.Id, seen.ExitCode));
        Assert.True(listed.Acknowledged);
    }

    [Fact]
    public async Task Logs_come_from_the_logs_endpoint_with_tail_and_a_follow_ends_when_the_run_exits()
    {
        await using var aci = await AciHarness.StartAsync();
        var app = aci.Launch("p1", "app", 0, ContainerScript.Exits(TimeSpan.FromSeconds(1), 0, "one", "two", "three"));
        await aci.CreateReadyAsync(AciHarness.Spec("p1", app));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var followed = new List<LogLine>();
        await foreach (var line in aci.Runtime.ReadLogAsync(app.Id, new LogReadOptions(Follow: true), timeout.Token))
        {
            followed.Add(line);
        }

        var tail = new List<LogLine>();
        await foreach (var line in aci.Runtime.ReadLogAsync(app.Id, new LogReadOptions(TailLines: 1), timeout.Token))
        {
            tail.Add(line);
        }

        Assert.Equal(["one", "two", "three"], followed.Select(l => l.Content));
        Assert.All(followed, l => Assert.True(l.Complete));
        Assert.Equal(["three"], tail.Select(l => l.Content));
        Assert.True(tail[0].Time > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task The_node_is_described_from_configuration()
    {
        await using var aci = await AciHarness.StartAsync(configure: o => (o.Cpu, o.MemoryGi, o.Pods) = (40, 160, 50));

        var node = await aci.Runtime.DescribeNodeAsync();

        Assert.Equal(("40", "163840Mi", "50"), (node.Capacity["cpu"], node.Capacity["memory"], node.Capacity["pods"]));
        Assert.Equal("aci://2025-09-01", node.ContainerRuntimeVersion);
        Assert.Equal(SandboxScope.Pod, aci.Runtime.Scope);
        Assert.True(aci.Runtime.RunsImages);
    }

    [Fact]
    public async Task Long_running_pods_cost_at_most_a_tenth_of_a_read_per_pod_minute_once_settled()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var aci = await AciHarness.StartAsync(runtimeTime: clock, configure: o =>
        {
            o.ObserveInterval = TimeSpan.FromSeconds(60);
            o.MinReadInterval = TimeSpan.FromSeconds(10);
            o.MaxReadInterval = TimeSpan.FromMinutes(10);
        });
        const int pods = 20;
        for (var i = 0; i < pods; i++)
        {
            var uid = $"p{i}";
            await aci.CreateReadyAsync(AciHarness.Spec(uid, aci.Launch(uid, "app", 0, ContainerScript.Forever)));
        }

        // Two hours of the node agent's rounds, one a minute; the first 30 minutes settle the back-off.
        for (var minute = 0; minute < 30; minute++)
        {
            await aci.Runtime.ListContainersAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var before = aci.Server.Requests.Count(r => r.IsRead);
        var groupReadsBefore = aci.Server.Requests.Count(r => r.IsRead && r.Path.Contains("/containerGroups/", StringComparison.Ordinal));
        IReadOnlyList<ContainerRunStatus> runs = [];
        for (var minute = 0; minute < 90; minute++)
        {
            runs = await aci.Runtime.ListContainersAsync();
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var reads = aci.Server.Requests.Count(r => r.IsRead) - before;
        var groupReads = aci.Server.Requests.Count(r => r.IsRead && r.Path.Contains("/containerGroups/", StringComparison.Ordinal)) - groupReadsBefore;
        var podMinutes = pods * 90.0;
        Assert.Equal(pods, runs.Count(r => r.State == ContainerRunState.Running));
        Assert.True(groupReads / podMinutes <= 0.1, $"{groupReads} reads of single groups in {podMinutes} pod-minutes");
        Assert.True(reads / podMinutes <= 0.1 + (1.0 / pods), $"{reads} reads in {podMinutes} pod-minutes");
    }

    [Fact]
    public async Task A_container_with_args_but_no_command_waits_with_a_config_error_and_no_group_is_made()
    {
        await using var aci = await AciHarness.StartAsync();
        var argsOnly = aci.Launch("p1", "app", 0, ContainerScript.Forever) with { EntrypointArgs = ["--port", "8080"] };

        var status = await aci.Runtime.CreateSandboxAsync(AciHarness.Spec("p1", argsOnly));

        Assert.Equal(SandboxState.Pending, status.State);
        Assert.Equal([new ContainerWaiting("app", "CreateContainerConfigError", AciContainerRuntime.ArgsWithoutCommandMessage("app"))], status.Waiting);
        Assert.DoesNotContain(aci.Server.Requests, r => r.Method == "PUT");
    }
}
