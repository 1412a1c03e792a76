using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableTask.Core;
using DurableTask.Core.History;
using Newtonsoft.Json;

namespace DurableKube.Workflows.Tests.Hosting;

/// <summary>
/// The recent history the workflow port gives the dashboard, read the same way from the SDK's event objects
/// (the Functions host) and from the framework's JSON (the local host).
/// </summary>
public sealed class WorkflowHistoryTests
{
    private static readonly DateTime Start = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime FireAt = new(2026, 12, 3, 12, 0, 30, DateTimeKind.Utc);

    /// <summary>One event of each kind the dashboard names or dates, by a short key (a new one at each call: tests stamp them).</summary>
    private static readonly Dictionary<string, Func<HistoryEvent>> Samples = new()
    {
        ["started"] = () => new ExecutionStartedEvent(-1, "{}") { Name = "PodLifecycle" },
        ["scheduled"] = () => new TaskScheduledEvent(0) { Name = "SyncPod" },
        ["completed"] = () => new TaskCompletedEvent(-1, 0, "{}"),
        ["failed"] = () => new TaskFailedEvent(-1, 0, null, null, new FailureDetails("Error", "boom", null, null, false)),
        ["sub"] = () => new SubOrchestrationInstanceCreatedEvent(1) { Name = "Prober", InstanceId = "probe-1" },
        ["timer"] = () => new TimerCreatedEvent(2, FireAt),
        ["fired"] = () => new TimerFiredEvent(-1, FireAt) { TimerId = 2 },
        ["raised"] = () => new EventRaisedEvent(-1, "{}") { Name = "PodSignal" },
        ["sent"] = () => new EventSentEvent(3) { Name = "NodeSignal", InstanceId = "node-1" },
        ["continued"] = () => new ContinueAsNewEvent(4, "{}"),
        ["ended"] = () => new ExecutionCompletedEvent(5, "{}", OrchestrationStatus.Completed),
    };

    public static TheoryData<string> Forms => new() { "objects", "json" };

    [Theory]
    [InlineData("started", "ExecutionStarted", "PodLifecycle", null)]
    [InlineData("scheduled", "TaskScheduled", "SyncPod", null)]
    [InlineData("completed", "TaskCompleted", null, null)]
    [InlineData("failed", "TaskFailed", null, null)]
    [InlineData("sub", "SubOrchestrationInstanceCreated", "Prober", null)]
    [InlineData("timer", "TimerCreated", null, "fires at 2026-12-03T12:00:30Z")]
    [InlineData("fired", "TimerFired", null, "fires at 2026-12-03T12:00:30Z")]
    [InlineData("raised", "EventRaised", "PodSignal", null)]
    [InlineData("sent", "EventSent", "NodeSignal", null)]
    [InlineData("continued", "ContinueAsNew", null, null)]
    [InlineData("ended", "ExecutionCompleted", null, null)]
    public void Each_event_reads_as_its_type_name_and_detail_in_both_forms(string sample, string type, string? name, string? detail)
    {
        var history = Stamped(Samples[sample]());

        foreach (var form in new[] { "objects", "json" })
        {
            var read = Assert.Single(Read(form, history, 30));

            Assert.Equal(new WorkflowHistoryEvent(new DateTimeOffset(Start), type, name, detail), read);
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Episode_markers_are_left_out(string form)
    {
        var history = Stamped(new OrchestratorStartedEvent(-1), Samples["scheduled"](), new OrchestratorCompletedEvent(-1));

        var read = Read(form, history, 30);

        Assert.Equal(["TaskScheduled"], read.Select(e => e.Type));
    }

    [Theory]
    [InlineData("objects", 30, "ExecutionStarted,TaskScheduled,TaskCompleted,TimerCreated,EventRaised")]
    [InlineData("json", 30, "ExecutionStarted,TaskScheduled,TaskCompleted,TimerCreated,EventRaised")]
    [InlineData("objects", 5, "ExecutionStarted,TaskScheduled,TaskCompleted,TimerCreated,EventRaised")]
    [InlineData("json", 5, "ExecutionStarted,TaskScheduled,TaskCompleted,TimerCreated,EventRaised")]
    [InlineData("objects", 2, "TimerCreated,EventRaised")]
    [InlineData("json", 2, "TimerCreated,EventRaised")]
    [InlineData("objects", 0, "")]
    [InlineData("json", 0, "")]
    public void The_limit_keeps_the_most_recent_events_not_counting_the_markers(string form, int limit, string types)
    {
        // Seven events, two of them markers: five count.
        var history = Stamped(
            Samples["started"](),
            new OrchestratorStartedEvent(-1),
            Samples["scheduled"](),
            new OrchestratorCompletedEvent(-1),
            Samples["completed"](),
            Samples["timer"](),
            Samples["raised"]());

        var read = Read(form, history, limit);

        Assert.Equal(types.Split(',', StringSplitOptions.RemoveEmptyEntries), read.Select(e => e.Type));
        Assert.Equal(read.OrderBy(e => e.Timestamp), read);
    }

    [Fact]
    public void A_time_that_lost_its_kind_is_read_as_utc()
    {
        var scheduled = new TaskScheduledEvent(0, "SyncPod") { Timestamp = DateTime.SpecifyKind(Start, DateTimeKind.Unspecified) };

        var read = Assert.Single(WorkflowHistory.Recent([scheduled], 30));

        Assert.Equal(new DateTimeOffset(Start), read.Timestamp);
        Assert.Equal(TimeSpan.Zero, read.Timestamp.Offset);
    }

    [Fact]
    public void The_event_type_may_be_written_as_its_number()
    {
        var json = $$"""[{"EventType":{{(int)EventType.TaskScheduled}},"Name":"SyncPod","Timestamp":"2026-12-03T12:00:00Z"}]""";

        var read = Assert.Single(WorkflowHistory.Parse(json, 30));

        Assert.Equal(new WorkflowHistoryEvent(new DateTimeOffset(Start), "TaskScheduled", "SyncPod"), read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    public void No_history_or_one_that_is_not_an_array_reads_as_no_events(string? json)
    {
        Assert.Empty(WorkflowHistory.Parse(json, 30));
    }

    [Fact]
    public void An_event_without_a_type_or_time_is_listed_as_unknown_at_the_minimum_time()
    {
        var read = Assert.Single(WorkflowHistory.Parse("[{\"Name\":\"X\"}]", 30));

        Assert.Equal(new WorkflowHistoryEvent(DateTimeOffset.MinValue, "Unknown", "X"), read);
    }

    [Fact]
    public void Text_that_is_not_json_is_an_error()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => WorkflowHistory.Parse("[{", 30));
    }

    [Fact]
    public void A_negative_limit_is_an_error_in_both_forms()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowHistory.Recent([], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowHistory.Parse("[]", -1));
    }

    /// <summary>Reads a history in one form: the SDK's objects, or the JSON the framework's providers write (type names on).</summary>
    private static IReadOnlyList<WorkflowHistoryEvent> Read(string form, List<HistoryEvent> history, int limit) => form switch
    {
        "objects" => WorkflowHistory.Recent(history, limit),
        "json" => WorkflowHistory.Parse(JsonConvert.SerializeObject(history, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Objects }), limit),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "objects or json"),
    };

    /// <summary>The events, a second apart from <see cref="Start"/>.</summary>
    private static List<HistoryEvent> Stamped(params HistoryEvent[] events)
    {
        for (var i = 0; i < events.Length; i++)
        {
            events[i].Timestamp = Start.AddSeconds(i);
        }

        return [.. events];
    }
}
