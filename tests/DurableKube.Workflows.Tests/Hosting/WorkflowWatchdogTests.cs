using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Workflows.Tests.Hosting;

/// <summary>
/// The watchdog terminates a stuck workflow, waits a limit for the termination to take, and when it did not (the backend's
/// worker holds the instance in a session it no longer processes) restarts the worker, at most once per limit, and
/// terminates it again.
/// </summary>
public sealed class WorkflowWatchdogTests
{
    private const string Id = "pod-1";
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    private static WorkflowInstanceDetails Stuck(DateTimeOffset lastUpdated, string id = Id) =>
        new(id, "PodLifecycle", WorkflowInstanceState.Running, "Running", Now.AddHours(-1), lastUpdated,
            System.Text.Json.JsonSerializer.Serialize(new LoopStatus(3, "activity SyncPod", null, null)), null);

    [Theory]
    // seconds since its last update (null: not stuck, it is waiting on a signal), seconds since its termination (null: never),
    // seconds since the worker's restart (null: never), expected
    [InlineData(null, null, null, WatchdogAction.None)]
    [InlineData(null, 200, null, WatchdogAction.None)]
    [InlineData(90, null, null, WatchdogAction.Terminate)]
    [InlineData(90, 30, null, WatchdogAction.AwaitTermination)]
    [InlineData(90, 60, null, WatchdogAction.RestartWorker)]
    [InlineData(300, 120, null, WatchdogAction.RestartWorker)]
    [InlineData(300, 120, 30, WatchdogAction.Terminate)]
    [InlineData(300, 120, 60, WatchdogAction.RestartWorker)]
    // It moved after its termination was sent (it was started again and is stuck anew): a new termination, not a restart.
    [InlineData(70, 120, null, WatchdogAction.Terminate)]
    public void A_termination_unanswered_for_a_limit_restarts_the_worker_at_most_once_per_limit(
        int? silentSeconds, int? terminatedSecondsAgo, int? restartedSecondsAgo, WatchdogAction expected)
    {
        var details = silentSeconds is { } silent
            ? Stuck(Now.AddSeconds(-silent))
            : Stuck(Now.AddHours(-1)) with { CustomStatus = System.Text.Json.JsonSerializer.Serialize(new LoopStatus(3, "signal PodSignal", null, null)) };

        var (action, waitingFor) = WorkflowWatchdog.Decide(
            details, Ago(terminatedSecondsAgo), Ago(restartedSecondsAgo), Limit, Now);

        Assert.Equal(expected, action);
        Assert.Equal(expected == WatchdogAction.None ? null : "activity SyncPod", waitingFor);
    }

    [Fact]
    public void A_workflow_that_is_not_there_or_has_ended_is_not_the_watchdogs()
    {
        Assert.Equal(WatchdogAction.None, WorkflowWatchdog.Decide(null, Now.AddMinutes(-5), null, Limit, Now).Action);
        Assert.Equal(
            WatchdogAction.None,
            WorkflowWatchdog.Decide(Stuck(Now.AddMinutes(-5)) with { State = WorkflowInstanceState.Terminated }, Now.AddMinutes(-5), null, Limit, Now).Action);
    }

    [Fact]
    public async Task Over_resyncs_a_stuck_workflow_is_terminated_awaited_then_the_worker_restarted_once_and_it_terminated_again()
    {
        var time = new FakeTimeProvider(Now);
        var workflows = new Mock<IWorkflowClient>(MockBehavior.Strict);
        workflows.Setup(w => w.TerminateAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var worker = new Mock<IWorkflowWorker>(MockBehavior.Strict);
        worker.Setup(w => w.RestartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var watchdog = new WorkflowWatchdog(worker.Object, time, NullLogger<WorkflowWatchdog>.Instance);
        var silentSince = Now.AddMinutes(-2);

        // Resync 1: stuck, terminated.
        Assert.True(await watchdog.CheckAsync(workflows.Object, Id, Stuck(silentSince), Limit));
        workflows.Verify(w => w.TerminateAsync(Id, It.Is<string>(r => r.StartsWith("waited for its activity SyncPod since ", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once());

        // Resync 2, 20 s later: still Running and silent; the termination may still take.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await watchdog.CheckAsync(workflows.Object, Id, Stuck(silentSince), Limit));
        workflows.Verify(w => w.TerminateAsync(Id, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());

        // A limit after the termination, two instances still stuck: one restart of the worker, and both terminated again.
        time.Advance(TimeSpan.FromSeconds(45));
        Assert.True(await watchdog.CheckAsync(workflows.Object, "pod-2", Stuck(silentSince, "pod-2"), Limit));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(await watchdog.CheckAsync(workflows.Object, Id, Stuck(silentSince), Limit));
        Assert.True(await watchdog.CheckAsync(workflows.Object, "pod-2", Stuck(silentSince, "pod-2"), Limit));
        worker.Verify(w => w.RestartAsync(It.Is<string>(r => r.Contains(Id, StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once());
        workflows.Verify(w => w.TerminateAsync(Id, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        workflows.Verify(w => w.TerminateAsync("pod-2", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(2));

        // The termination took: the instance ended, and is forgotten; started again and stuck anew, it is terminated at once.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await watchdog.CheckAsync(workflows.Object, Id, Stuck(silentSince) with { State = WorkflowInstanceState.Terminated }, Limit));
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await watchdog.CheckAsync(workflows.Object, Id, Stuck(time.GetUtcNow().AddMinutes(-2)), Limit));
        workflows.Verify(w => w.TerminateAsync(Id, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
        worker.Verify(w => w.RestartAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task A_host_that_cannot_restart_its_worker_still_terminates_again_once_per_limit()
    {
        var time = new FakeTimeProvider(Now);
        var workflows = new Mock<IWorkflowClient>();
        var watchdog = new WorkflowWatchdog(new ExtensionWorkflowWorker(NullLogger<ExtensionWorkflowWorker>.Instance), time, NullLogger<WorkflowWatchdog>.Instance);

        for (var i = 0; i < 10; i++)
        {
            Assert.True(await watchdog.CheckAsync(workflows.Object, Id, Stuck(Now.AddMinutes(-2)), Limit));
            time.Advance(TimeSpan.FromSeconds(20));
        }

        // 200 s of resyncs every 20 s: terminated at 0, then once a limit later each time (60, 120, 180 s).
        workflows.Verify(w => w.TerminateAsync(Id, It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(4));
    }

    private static DateTimeOffset? Ago(int? seconds) => seconds is { } s ? Now.AddSeconds(-s) : null;
}
