using DurableKube.Domain.Events;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>
/// Events in both versions (pkg/registry/core/event): stored once as <c>v1</c> Events and served as <c>v1</c>
/// and as <c>events.k8s.io/v1</c>, with the same objects, table and selectable fields (under each version's names).
/// </summary>
public static class EventsKinds
{
    /// <summary>Gets <c>v1</c> Events: what the kubelet and the controllers record, and <c>kubectl describe</c> lists.</summary>
    public static KindDescriptor Events { get; } = new(new EventStrategy(ResourceTypes.Events))
    {
        Printer = TablePrinter.For<Corev1Event>(EventPrinter.Columns, EventPrinter.Cells),
        Fields = obj => CoreFields((Corev1Event)obj),
        CollectsDependents = false,
    };

    /// <summary>Gets <c>events.k8s.io/v1</c> Events: the same stored objects in the newer representation (<c>kubectl events</c>).</summary>
    public static KindDescriptor EventsV1 { get; } = new(new EventStrategy(ResourceTypes.EventsV1))
    {
        Printer = TablePrinter.For<Eventsv1Event>(EventPrinter.Columns, (ev, now) => EventPrinter.Cells(EventConversion.ToCore(ev), now)),
        Fields = obj => EventsV1Fields((Eventsv1Event)obj),
        CollectsDependents = false,
        Storage = new StoredAs(ResourceTypes.Events, o => EventConversion.ToCore((Eventsv1Event)o), o => EventConversion.ToEventsV1((Corev1Event)o)),
    };

    /// <summary>Gets every kind of Events.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [Events, EventsV1];

    /// <summary>The selectable fields of a <c>v1</c> Event (<c>ToSelectableFields</c> of pkg/registry/core/event).</summary>
    /// <param name="ev">The Event.</param>
    /// <returns>The fields and their values.</returns>
    public static IEnumerable<(string Field, string? Value)> CoreFields(Corev1Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var involved = ev.InvolvedObject ?? new V1ObjectReference();
        var source = string.IsNullOrEmpty(ev.Source?.Component) ? ev.ReportingComponent : ev.Source.Component;
        return
        [
            ("involvedObject.kind", involved.Kind),
            ("involvedObject.namespace", involved.NamespaceProperty),
            ("involvedObject.name", involved.Name),
            ("involvedObject.uid", involved.Uid),
            ("involvedObject.apiVersion", involved.ApiVersion),
            ("involvedObject.resourceVersion", involved.ResourceVersion),
            ("involvedObject.fieldPath", involved.FieldPath),
            ("reason", ev.Reason),
            ("reportingComponent", ev.ReportingComponent),
            ("source", source),
            ("type", ev.Type),
        ];
    }

    /// <summary>The selectable fields of an <c>events.k8s.io/v1</c> Event: the <c>v1</c> ones under this version's names (its field label conversion).</summary>
    /// <param name="ev">The Event.</param>
    /// <returns>The fields and their values.</returns>
    public static IEnumerable<(string Field, string? Value)> EventsV1Fields(Eventsv1Event ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var regarding = ev.Regarding ?? new V1ObjectReference();
        return
        [
            ("regarding.kind", regarding.Kind),
            ("regarding.namespace", regarding.NamespaceProperty),
            ("regarding.name", regarding.Name),
            ("regarding.uid", regarding.Uid),
            ("regarding.apiVersion", regarding.ApiVersion),
            ("regarding.resourceVersion", regarding.ResourceVersion),
            ("regarding.fieldPath", regarding.FieldPath),
            ("reason", ev.Reason),
            ("reportingController", ev.ReportingController),
            ("type", ev.Type),
        ];
    }

}
