using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Reconcile;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace DurableKube.Workflows.Tests.Hosting;

/// <summary>The resync's watchdog: a workflow that has waited for one activity far too long is stuck, and terminated to be started again from its object.</summary>
public sealed class StuckWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    private static string Status(string waitingFor, int? timerMinutesAgo) =>
        System.Text.Json.JsonSerializer.Serialize(new LoopStatus(3, waitingFor, timerMinutesAgo is { } ago ? Now.AddMinutes(-ago) : null, null));

    [Theory]
    // state, minutes since the last update, what it waits for (null: no status), its timer's due time in minutes ago, terminated
    [InlineData(WorkflowInstanceState.Running, 11, "activity SyncPod", null, true)]
    [InlineData(WorkflowInstanceState.Running, 9, "activity SyncPod", null, false)]
    [InlineData(WorkflowInstanceState.Running, 60, "signal PodSignal", null, false)]
    [InlineData(WorkflowInstanceState.Running, 60, "signal PodSignal or timer", -5, false)]
    [InlineData(WorkflowInstanceState.Running, 60, "signal PodSignal or timer", 5, false)]
    [InlineData(WorkflowInstanceState.Running, 60, "signal PodSignal or timer", 15, true)]
    [InlineData(WorkflowInstanceState.Running, 60, null, null, true)]
    [InlineData(WorkflowInstanceState.Running, 5, null, null, false)]
    [InlineData(WorkflowInstanceState.Completed, 60, "activity SyncPod", null, false)]
    public void Only_a_running_workflow_silent_past_the_limit_on_an_activity_an_overdue_timer_or_its_first_episode_is_stuck(
        WorkflowInstanceState state, int minutes, string? waitingFor, int? timerMinutesAgo, bool stuck)
    {
        var details = Details(state, minutes, waitingFor is null ? null : Status(waitingFor, timerMinutesAgo));

        var on = WorkflowInstances.StuckOn(details, StuckAfter, Now);

        Assert.Equal(stuck, on is not null);
        if (stuck)
        {
            Assert.Equal(waitingFor is null ? "first episode" : timerMinutesAgo is { } ago ? $"timer due at {Now.AddMinutes(-ago):O}" : waitingFor, on);
        }
    }

    [Fact]
    public void A_workflow_that_is_not_there_or_whose_status_is_not_a_loops_is_not_stuck()
    {
        Assert.Null(WorkflowInstances.StuckOn(null, StuckAfter, Now));
        Assert.Null(WorkflowInstances.StuckOn(Details(WorkflowInstanceState.Running, 60, "\"hello\""), StuckAfter, Now));
    }

    private static WorkflowInstanceDetails Details(WorkflowInstanceState state, int minutesSilent, string? customStatus) =>
        new("pod-1", "PodLifecycle", state, state.ToString(), Now.AddHours(-2), Now.AddMinutes(-minutesSilent), customStatus, null);

    [Theory]
    [InlineData("{\"turn\":1,\"waitingFor\":\"activity SyncPod\",\"nextTimer\":null}", "activity SyncPod")]
    [InlineData("\"{\\\"turn\\\":1,\\\"waitingFor\\\":\\\"signal Wake\\\"}\"", "signal Wake")]
    [InlineData("\"just a string\"", null)]
    [InlineData("[1,2]", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void A_loops_status_is_read_from_its_custom_status_as_either_client_returns_it(string customStatus, string? waitingFor) =>
        Assert.Equal(waitingFor, LoopStatus.Parse(customStatus)?.WaitingFor);
}
