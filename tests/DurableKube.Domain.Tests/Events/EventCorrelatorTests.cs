using DurableKube.Domain.Events;
using k8s.Models;

namespace DurableKube.Domain.Tests.Events;

/// <summary>client-go's EventCorrelator: repeats counted on one event, many similar messages combined, a spam filter, names.</summary>
public sealed class EventCorrelatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    private static EventReport Report(string message = "Started container app", string reason = "Started", string pod = "web", string? fieldPath = "spec.containers{app}") =>
        new("kubelet", "node-1", new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", NamespaceProperty = "default", Name = pod, Uid = "u-" + pod, FieldPath = fieldPath }, "Normal", reason, message);

    [Fact]
    public void A_first_event_is_new_named_after_its_object_with_count_one()
    {
        var correlation = new EventCorrelator().Correlate(Report(), T0);

        Assert.False(correlation.Update);
        var ev = correlation.Event!;
        Assert.Equal(EventCorrelator.NameFor("web", T0), ev.Metadata.Name);
        Assert.StartsWith("web.", ev.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(("default", 1, "kubelet", "node-1"), (ev.Metadata.NamespaceProperty, ev.Count, ev.Source.Component, ev.Source.Host));
        Assert.Equal(ev.FirstTimestamp, ev.LastTimestamp);
        Assert.Null(ev.Series);
    }

    [Theory]
    [InlineData(0, "18edac3bfab66000")]
    [InlineData(1, "18edac3bfab66064")]
    public void Names_are_the_object_name_and_the_time_in_hex_nanoseconds(long ticks, string hex)
    {
        Assert.Equal("web." + hex, EventCorrelator.NameFor("web", new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero).AddTicks(ticks)));
    }

    [Theory]
    [InlineData("Started container app", "Started", "web", "spec.containers{app}", true)]
    [InlineData("Started container other", "Started", "web", "spec.containers{app}", false)]
    [InlineData("Started container app", "Pulled", "web", "spec.containers{app}", false)]
    [InlineData("Started container app", "Started", "db", "spec.containers{app}", false)]
    [InlineData("Started container app", "Started", "web", "spec.containers{side}", false)]
    public void A_repeat_of_the_same_object_reason_and_message_updates_the_first(string message, string reason, string pod, string fieldPath, bool repeat)
    {
        var correlator = new EventCorrelator();
        var first = correlator.Correlate(Report(), T0).Event!;

        var second = correlator.Correlate(Report(message, reason, pod, fieldPath), T0.AddMinutes(1));

        Assert.Equal(repeat, second.Update);
        Assert.Equal(repeat, second.Event!.Metadata.Name == first.Metadata.Name);
        if (repeat)
        {
            Assert.Equal((2, first.FirstTimestamp, T0.AddMinutes(1).UtcDateTime), (second.Event.Count!.Value, second.Event.FirstTimestamp, second.Event.LastTimestamp!.Value));
            Assert.Null(second.Event.Series);
        }
    }

    [Fact]
    public void The_eleventh_distinct_message_for_one_reason_is_combined_and_later_ones_count_on_it()
    {
        var correlator = new EventCorrelator();
        for (var i = 0; i < EventCorrelator.MaxSimilarEvents; i++)
        {
            Assert.DoesNotContain("combined", correlator.Correlate(Report($"message {i}"), T0.AddSeconds(i)).Event!.Message, StringComparison.Ordinal);
        }

        var combined = correlator.Correlate(Report("message 10"), T0.AddSeconds(10));
        var again = correlator.Correlate(Report("message 11"), T0.AddSeconds(11));

        Assert.Equal("(combined from similar events): message 10", combined.Event!.Message);
        Assert.False(combined.Update);
        Assert.True(again.Update);
        Assert.Equal((combined.Event.Metadata.Name, 2, "(combined from similar events): message 11"), (again.Event!.Metadata.Name, again.Event.Count!.Value, again.Event.Message));
    }

    [Fact]
    public void Similar_messages_are_not_combined_once_the_aggregation_window_has_passed()
    {
        var correlator = new EventCorrelator();
        for (var i = 0; i < EventCorrelator.MaxSimilarEvents; i++)
        {
            correlator.Correlate(Report($"message {i}"), T0);
        }

        var later = correlator.Correlate(Report("message 10"), T0 + EventCorrelator.AggregationWindow + TimeSpan.FromSeconds(1));

        Assert.Equal("message 10", later.Event!.Message);
    }

    [Theory]
    [InlineData(25, 0, true)]
    [InlineData(26, 0, false)]
    [InlineData(26, 5, true)]
    public void The_spam_filter_lets_a_burst_through_then_one_every_five_minutes(int reports, int minutesLater, bool lastAdmitted)
    {
        var correlator = new EventCorrelator();
        for (var i = 0; i < reports - 1; i++)
        {
            Assert.NotNull(correlator.Correlate(Report(), T0).Event);
        }

        var last = correlator.Correlate(Report(), T0.AddMinutes(minutesLater));

        Assert.Equal(lastAdmitted, last.Event is not null);
    }

    [Fact]
    public void Two_events_about_one_object_at_the_same_instant_get_distinct_names()
    {
        var correlator = new EventCorrelator();

        var a = correlator.Correlate(Report("one", "Pulled"), T0).Event!;
        var b = correlator.Correlate(Report("two", "Created"), T0).Event!;

        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public void A_forgotten_event_starts_anew_on_its_next_repeat()
    {
        var correlator = new EventCorrelator();
        var first = correlator.Correlate(Report(), T0).Event!;
        correlator.Forget(first.Metadata.Name);

        var next = correlator.Correlate(Report(), T0.AddMinutes(1));

        Assert.False(next.Update);
        Assert.Equal(1, next.Event!.Count);
    }

    [Fact]
    public void The_caches_keep_at_most_their_capacity()
    {
        var correlator = new EventCorrelator(capacity: 2);
        var first = correlator.Correlate(Report(pod: "a"), T0).Event!;
        correlator.Correlate(Report(pod: "b"), T0.AddSeconds(1));
        correlator.Correlate(Report(pod: "c"), T0.AddSeconds(2));

        var again = correlator.Correlate(Report(pod: "a"), T0.AddSeconds(3));

        Assert.False(again.Update);
        Assert.NotEqual(first.Metadata.Name, again.Event!.Metadata.Name);
    }
}
