using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get events</c> shows (printers.go, <c>printEvent</c>), for both versions of Events.</summary>
public static class EventPrinter
{
    /// <summary>Gets the Table columns for Events.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        new("Last Seen", "string", string.Empty, 0, "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", string.Empty, 0, "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "string", string.Empty, 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", string.Empty, 0, "The object that this event is about."),
        new("Subobject", "string", string.Empty, 1, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
        new("Source", "string", string.Empty, 1, "The component reporting this event. Should be a short machine understandable string."),
        new("Message", "string", string.Empty, 0, "A human-readable description of the status of this operation."),
        new("First Seen", "string", string.Empty, 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        new("Count", "string", string.Empty, 1, "The number of times this event has occurred."),
        new("Name", "string", "name", 1, TablePrinter.NameColumn.Description),
    ];

    /// <summary>Computes the row of an Event, wide cells included.</summary>
    /// <param name="ev">The Event, as stored (<c>v1</c>).</param>
    /// <param name="now">The present, for LAST SEEN and FIRST SEEN.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> Cells(Corev1Event ev, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var firstSeen = HumanDuration.Since(ev.FirstTimestamp ?? ev.EventTime, now);
        var lastSeen = ev.LastTimestamp is { } last ? HumanDuration.Since(last, now) : firstSeen;
        long count = ev.Count is > 0 ? ev.Count.Value : 1;
        if (ev.Series is { } series)
        {
            lastSeen = HumanDuration.Since(series.LastObservedTime, now);
            count = series.Count ?? count;
        }

        var involved = ev.InvolvedObject ?? new V1ObjectReference();
        var kind = (involved.Kind ?? string.Empty).ToLowerInvariant();
        var target = string.IsNullOrEmpty(involved.Name) ? kind : $"{kind}/{involved.Name}";
        return
        [
            lastSeen,
            ev.Type ?? string.Empty,
            ev.Reason ?? string.Empty,
            target,
            involved.FieldPath ?? string.Empty,
            Source(ev),
            (ev.Message ?? string.Empty).Trim(),
            firstSeen,
            count,
            ev.Metadata?.Name ?? string.Empty,
        ];
    }

    /// <summary>The SOURCE cell: component (or reporting controller), then host (or reporting instance) after a comma.</summary>
    private static string Source(Corev1Event ev)
    {
        var component = string.IsNullOrEmpty(ev.Source?.Component) ? ev.ReportingComponent ?? string.Empty : ev.Source.Component;
        var instance = string.IsNullOrEmpty(ev.Source?.Host) ? ev.ReportingInstance ?? string.Empty : ev.Source.Host;
        return instance.Length == 0 ? component : component + ", " + instance;
    }
}
