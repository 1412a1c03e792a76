namespace DurableKube.Ports.Workflows;

/// <summary>One event of an orchestration's history, as a dashboard lists it.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Type">The event's type (TaskScheduled, TimerCreated, EventRaised, ...).</param>
/// <param name="Name">The activity's, event's or orchestration's name, when the event has one.</param>
/// <param name="Detail">More about it when the backend says (a timer's due time), if anything.</param>
public sealed record WorkflowHistoryEvent(DateTimeOffset Timestamp, string Type, string? Name = null, string? Detail = null);
