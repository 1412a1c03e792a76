using System.Globalization;
using System.Text.Json;
using DurableKube.Ports.Workflows;
using DurableTask.Core.History;

namespace DurableKube.Workflows.Hosting;

/// <summary>
/// An orchestration's history as the workflow port gives it (<see cref="WorkflowInstanceDetails.History"/>): the most
/// recent events, oldest first, without the episode markers (<c>OrchestratorStarted</c>, <c>OrchestratorCompleted</c>:
/// one pair per episode, they say only that the orchestrator ran), each with its name when it has one and, for a timer,
/// when it fires. One reading for both backends: the Durable Task SDK's <see cref="HistoryEvent"/> objects (the Functions
/// host's client) and the Durable Task Framework's JSON (the local host's <c>TaskHubClient</c>).
/// </summary>
public static class WorkflowHistory
{
    /// <summary>The most recent events of a history the Durable Task SDK's client read.</summary>
    /// <param name="events">The events, oldest first (<c>DurableTaskClient.GetOrchestrationHistoryAsync</c>).</param>
    /// <param name="limit">How many of the most recent events to keep (0: none).</param>
    /// <returns>The events, oldest first.</returns>
    public static IReadOnlyList<WorkflowHistoryEvent> Recent(IEnumerable<HistoryEvent> events, int limit)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Last(events.Select(e => Entry(e.EventType.ToString(), Utc(e.Timestamp), NameOf(e), FireAtOf(e))), limit);
    }

    /// <summary>
    /// The most recent events of a history as the framework's providers serialize it: a JSON array of
    /// <see cref="HistoryEvent"/>s, the event type as a number or a name, with <c>$type</c> when type names are written.
    /// </summary>
    /// <param name="json">The provider's JSON; <see langword="null"/>, empty or not an array reads as no events.</param>
    /// <param name="limit">How many of the most recent events to keep (0: none).</param>
    /// <returns>The events, oldest first.</returns>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static IReadOnlyList<WorkflowHistoryEvent> Parse(string? json, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return Last(document.RootElement.EnumerateArray().Select(ParseEntry), limit);
    }

    private static WorkflowHistoryEvent? ParseEntry(JsonElement item)
    {
        var type = item.TryGetProperty("EventType", out var t)
            ? t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var number) ? ((EventType)number).ToString() : t.ToString()
            : "Unknown";
        var timestamp = item.TryGetProperty("Timestamp", out var ts) && ts.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.MinValue;
        var name = item.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        DateTimeOffset? fireAt = item.TryGetProperty("FireAt", out var fire) && fire.TryGetDateTimeOffset(out var due) ? due : null;
        return Entry(type, timestamp, name, fireAt);
    }

    /// <summary>One event as the port lists it, or <see langword="null"/> for an episode marker.</summary>
    private static WorkflowHistoryEvent? Entry(string type, DateTimeOffset timestamp, string? name, DateTimeOffset? fireAt) =>
        type is nameof(EventType.OrchestratorStarted) or nameof(EventType.OrchestratorCompleted)
            ? null
            : new WorkflowHistoryEvent(
                timestamp,
                type,
                name,
                fireAt is { } due ? "fires at " + due.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null);

    private static List<WorkflowHistoryEvent> Last(IEnumerable<WorkflowHistoryEvent?> entries, int limit)
    {
        var events = entries.OfType<WorkflowHistoryEvent>().ToList();
        return events.Count > limit ? events[^limit..] : events;
    }

    /// <summary>The name an event carries: the orchestration's, the activity's, the sub-orchestration's or the event's.</summary>
    private static string? NameOf(HistoryEvent e) => e switch
    {
        ExecutionStartedEvent started => started.Name,
        TaskScheduledEvent scheduled => scheduled.Name,
        SubOrchestrationInstanceCreatedEvent created => created.Name,
        EventRaisedEvent raised => raised.Name,
        EventSentEvent sent => sent.Name,
        _ => null,
    };

    private static DateTimeOffset? FireAtOf(HistoryEvent e) => e switch
    {
        TimerCreatedEvent created => Utc(created.FireAt),
        TimerFiredEvent fired => Utc(fired.FireAt),
        _ => null,
    };

    /// <summary>The framework's times are UTC; a time whose kind was not kept (Unspecified) is read as UTC too.</summary>
    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
