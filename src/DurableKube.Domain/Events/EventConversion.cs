using k8s.Models;

namespace DurableKube.Domain.Events;

/// <summary>
/// Converts Events between <c>v1</c> (how they are stored) and <c>events.k8s.io/v1</c>, field for field as the API
/// server's conversion does (pkg/apis/events/v1/conversion.go): message and note, involvedObject and regarding,
/// reportingComponent and reportingController, source, count and first and last timestamps and their deprecated
/// counterparts, series.
/// </summary>
public static class EventConversion
{
    /// <summary>Converts a stored (<c>v1</c>) Event to <c>events.k8s.io/v1</c>.</summary>
    /// <param name="core">The <c>v1</c> Event.</param>
    /// <returns>The <c>events.k8s.io/v1</c> Event; its metadata is the same instance's copy.</returns>
    public static Eventsv1Event ToEventsV1(Corev1Event core)
    {
        ArgumentNullException.ThrowIfNull(core);
        return new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = core.Metadata,
            EventTime = core.EventTime,
            Series = core.Series is { } series ? new Eventsv1EventSeries { Count = series.Count ?? 0, LastObservedTime = series.LastObservedTime ?? default } : null,
            ReportingController = core.ReportingComponent,
            ReportingInstance = core.ReportingInstance,
            Action = core.Action,
            Reason = core.Reason,
            Regarding = core.InvolvedObject,
            Related = core.Related,
            Note = core.Message,
            Type = core.Type,
            DeprecatedSource = core.Source,
            DeprecatedFirstTimestamp = core.FirstTimestamp,
            DeprecatedLastTimestamp = core.LastTimestamp,
            DeprecatedCount = core.Count,
        };
    }

    /// <summary>Converts an <c>events.k8s.io/v1</c> Event to <c>v1</c>, as it is stored.</summary>
    /// <param name="events">The <c>events.k8s.io/v1</c> Event.</param>
    /// <returns>The <c>v1</c> Event.</returns>
    public static Corev1Event ToCore(Eventsv1Event events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = events.Metadata,
            EventTime = events.EventTime,
            Series = events.Series is { } series ? new Corev1EventSeries { Count = series.Count, LastObservedTime = series.LastObservedTime } : null,
            ReportingComponent = events.ReportingController,
            ReportingInstance = events.ReportingInstance,
            Action = events.Action,
            Reason = events.Reason,
            InvolvedObject = events.Regarding ?? new V1ObjectReference(),
            Related = events.Related,
            Message = events.Note,
            Type = events.Type,
            Source = events.DeprecatedSource,
            FirstTimestamp = events.DeprecatedFirstTimestamp,
            LastTimestamp = events.DeprecatedLastTimestamp,
            Count = events.DeprecatedCount,
        };
    }
}
