using DurableKube.Domain.Events;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Events;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Workflows.Tests.Events;

/// <summary>The recorder writes correlated events through the registry, drops what it cannot keep, and sweeps expired events.</summary>
public sealed class EventRecorderTests
{
    private readonly InMemoryObjectStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero));

    private EventRecorder Recorder(int buffer = 100) => new(
        new ObjectRegistry(_store, BuiltInKinds.Registry(), [], _time, NullLogger<ObjectRegistry>.Instance), _time,
        Options.Create(new EventOptions { Buffer = buffer }), NullLogger<EventRecorder>.Instance);

    private static EventReport Report(string reason = "BackOff", string message = "Back-off restarting failed container app in pod web_default(u-1)") =>
        new("kubelet", "node-1", new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = "default", Name = "web", Uid = "u-1" }, "Warning", reason, message);

    private async Task<IReadOnlyList<Corev1Event>> EventsAsync() =>
        [.. (await _store.ListAsync(ResourceTypes.Events, "default", ListQuery.All)).Items.Cast<Corev1Event>()];

    private async Task NamespaceAsync() =>
        await _store.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default", Uid = "ns-1" } });

    [Fact]
    public async Task A_repeated_event_is_one_event_with_its_count_and_both_times()
    {
        await NamespaceAsync();
        var recorder = Recorder();

        recorder.Record(Report());
        await recorder.FlushAsync();
        _time.Advance(TimeSpan.FromSeconds(30));
        recorder.Record(Report());
        await recorder.FlushAsync();

        var ev = Assert.Single(await EventsAsync());
        Assert.Equal((2, "BackOff", "web"), (ev.Count!.Value, ev.Reason, ev.InvolvedObject.Name));
        Assert.Equal(TimeSpan.FromSeconds(30), ev.LastTimestamp!.Value - ev.FirstTimestamp!.Value);
        Assert.Null(ev.Series);
    }

    [Fact]
    public async Task Recording_in_a_namespace_that_does_not_exist_fails_nobody()
    {
        var recorder = Recorder();

        recorder.Record(Report());
        await recorder.FlushAsync();

        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task A_full_buffer_drops_the_report_and_returns_at_once()
    {
        await NamespaceAsync();
        var recorder = Recorder(buffer: 1);

        recorder.Record(Report("First"));
        recorder.Record(Report("Second"));
        await recorder.FlushAsync();

        Assert.Equal(["First"], (await EventsAsync()).Select(e => e.Reason));
    }

    [Fact]
    public async Task The_sweep_removes_events_an_hour_after_their_last_write_and_a_repeat_starts_anew()
    {
        await NamespaceAsync();
        var recorder = Recorder();
        recorder.Record(Report());
        recorder.Record(Report("Other", "other"));
        await recorder.FlushAsync();
        _time.Advance(TimeSpan.FromMinutes(30));
        recorder.Record(Report());
        await recorder.FlushAsync();
        _time.Advance(TimeSpan.FromMinutes(31));

        var removed = await recorder.SweepAsync();
        recorder.Record(Report("Other", "other"));
        await recorder.FlushAsync();

        Assert.Equal(1, removed);
        var events = await EventsAsync();
        Assert.Equal([("BackOff", 2), ("Other", 1)], events.Select(e => (e.Reason, e.Count!.Value)).OrderBy(p => p.Reason));
    }
}
