using DurableKube.LocalHost.Durable;
using DurableTask.Core.History;
using Newtonsoft.Json;

namespace DurableKube.LocalHost.Tests.Durable;

/// <summary>The local host's reading of an orchestration's history for the dashboard's workflow view.</summary>
public sealed class TaskHubWorkflowClientTests
{
    [Fact]
    public void The_history_as_the_framework_serializes_it_reads_as_the_last_events_without_episode_markers()
    {
        var fireAt = new DateTime(2026, 12, 3, 12, 0, 30, DateTimeKind.Utc);
        var events = new List<HistoryEvent>
        {
            new ExecutionStartedEvent(-1, "{}") { Name = "PodLifecycle" },
            new OrchestratorStartedEvent(-1),
            new TaskScheduledEvent(0) { Name = "SyncPod" },
            new OrchestratorCompletedEvent(-1),
            new TaskCompletedEvent(-1, 0, "{}"),
            new TimerCreatedEvent(1) { FireAt = fireAt },
            new EventRaisedEvent(-1, "{}") { Name = "PodSignal" },
        };
        var json = JsonConvert.SerializeObject(events, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Objects });

        var all = TaskHubWorkflowClient.ParseHistory(json, 30);
        var last = TaskHubWorkflowClient.ParseHistory(json, 2);

        Assert.Equal(["ExecutionStarted", "TaskScheduled", "TaskCompleted", "TimerCreated", "EventRaised"], all.Select(e => e.Type));
        Assert.Equal("SyncPod", all[1].Name);
        Assert.Equal("fires at 2026-12-03T12:00:30Z", all[3].Detail);
        Assert.Equal(["TimerCreated", "EventRaised"], last.Select(e => e.Type));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[{\"EventType\":\"TaskScheduled\",\"Name\":\"X\"}]")]
    public void Odd_histories_read_as_few_or_no_events(string? json)
    {
        var events = TaskHubWorkflowClient.ParseHistory(json, 5);

        Assert.True(events.Count <= 1);
    }
}
