using DurableKube.Domain.Events;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.Events;

/// <summary>v1 and events.k8s.io/v1 Events convert field for field, both ways.</summary>
public sealed class EventConversionTests
{
    [Fact]
    public void A_v1_event_survives_a_round_trip_through_events_k8s_io()
    {
        var t = new DateTime(2026, 12, 3, 7, 0, 0, DateTimeKind.Utc);
        var core = new Corev1Event
        {
            ApiVersion = "v1", Kind = "Event",
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web", NamespaceProperty = "default" },
            Related = new V1ObjectReference { Kind = "Node", Name = "node-1" },
            Reason = "BackOff", Message = "Back-off", Type = "Warning", Action = "Restarting",
            Source = new V1EventSource { Component = "kubelet", Host = "node-1" },
            ReportingComponent = "kubelet", ReportingInstance = "node-1",
            FirstTimestamp = t, LastTimestamp = t.AddMinutes(1), Count = 2, EventTime = t,
            Series = new Corev1EventSeries { Count = 2, LastObservedTime = t.AddMinutes(1) },
        };

        var events = EventConversion.ToEventsV1(core);
        var back = EventConversion.ToCore(events);

        Assert.Equal(("Back-off", "web", "kubelet", 2, "kubelet"), (events.Note, events.Regarding.Name, events.ReportingController, events.DeprecatedCount!.Value, events.DeprecatedSource.Component));
        Assert.Equal(KubeJson.Serialize(core), KubeJson.Serialize(back));
    }
}
