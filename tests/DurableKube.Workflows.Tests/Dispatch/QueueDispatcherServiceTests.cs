using System.Diagnostics.Metrics;
using DurableKube.Domain.Events;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Events;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using DurableKube.Testing.Logging;
using DurableKube.Testing.Store;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Tests.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace DurableKube.Workflows.Tests.Dispatch;

/// <summary>
/// The local host's queue reader: a change that keeps failing ends on the poison queue, as with the Functions queue
/// trigger, and is reported (a log with the message id and why, the poison counter, a Warning event on its object),
/// while other changes keep flowing.
/// </summary>
public sealed class QueueDispatcherServiceTests : IAsyncDisposable
{
    private const int MaxDequeueCount = 3;
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(5);
    private static readonly ObjectChange Change = new(ResourceTypes.Pods.GroupResource, "default", "web", "uid-web", ObjectChangeType.Added, "7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryWorkQueue _queue;
    private readonly Mock<IObjectStore> _store = new();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly ServiceProvider _services;
    private readonly MeterListener _meters = new();
    private readonly List<(long Value, Dictionary<string, object?> Tags)> _poisonCounts = [];

    public QueueDispatcherServiceTests()
    {
        _queue = new InMemoryWorkQueue(_time);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dispatcher:MaxDequeueCount"] = MaxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dispatcher:VisibilityTimeout"] = VisibilityTimeout.ToString(),
        }).Build();
        _services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(_logs))
            .AddMetrics()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(_store.Object)
            .AddSingleton(new Mock<IWorkflowClient>().Object)
            .AddSingleton<IWorkQueue>(_queue)
            .AddSingleton<IEventRecorder>(_events)
            .AddDurableKubeWorkflows(configuration)
            .AddSingleton<QueueDispatcherService>()
            .BuildServiceProvider(validateScopes: true);
        // Only this test's meters (tests run side by side in one process).
        var factory = _services.GetRequiredService<IMeterFactory>();
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == PoisonReporter.MeterName && instrument.Name == PoisonReporter.CounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_poisonCounts)
            {
                _poisonCounts.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        _meters.Start();
    }

    private QueueDispatcherService Dispatcher => _services.GetRequiredService<QueueDispatcherService>();

    private List<LogEntry> Logged(LogLevel level) =>
        _logs.Entries.Where(e => (e.Category == typeof(QueueDispatcherService).FullName || e.Category == typeof(PoisonReporter).FullName) && e.Level == level).ToList();

    public ValueTask DisposeAsync()
    {
        _meters.Dispose();
        return _services.DisposeAsync();
    }

    [Fact]
    public async Task A_change_that_always_fails_ends_on_the_poison_queue_after_MaxDequeueCount_tries_and_is_logged()
    {
        var failure = new InvalidOperationException("the store is down");
        _store.Setup(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        await _queue.EnqueueAsync(Change);

        for (var attempt = 1; attempt <= MaxDequeueCount; attempt++)
        {
            Assert.Empty(_queue.Poisoned);
            Assert.Equal(1, await Dispatcher.DispatchBatchAsync());
            _time.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
        }

        Assert.Equal([Change], _queue.Poisoned);
        Assert.Empty(_queue.Pending);
        Assert.Equal(0, await Dispatcher.DispatchBatchAsync());
        _store.Verify(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>()), Times.Exactly(MaxDequeueCount));

        Assert.Equal(MaxDequeueCount - 1, Logged(LogLevel.Warning).Count);
        var error = Assert.Single(Logged(LogLevel.Error));
        Assert.Same(failure, error.Exception);
        Assert.Equal(_queue.PoisonQueueName, error.Value("PoisonQueue"));
        Assert.Equal("kube-changes-poison", error.Value("PoisonQueue"));
        Assert.Equal("web", error.Value("Name"));
        Assert.Contains("pods default/web, uid uid-web, resource version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("kube-changes-poison", error.Message, StringComparison.Ordinal);
        Assert.Contains("the store is down", error.Message, StringComparison.Ordinal);
        Assert.Equal("uid-web", error.Value("Uid"));
        Assert.False(string.IsNullOrEmpty(error.Value("MessageId")));
        Assert.Equal(MaxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Value("Count"));

        // Counted, and told to whoever looks at the pod.
        var (count, tags) = Assert.Single(_poisonCounts);
        Assert.Equal(1, count);
        Assert.Equal(("pods", "failed"), ((string?)tags["resource"], (string?)tags["reason"]));
        var report = Assert.Single(_events.Reports);
        Assert.Equal((EventReport.Warning, PoisonReporter.EventReason), (report.Type, report.Reason));
        Assert.Equal(("v1", "Pod", "default", "web", "uid-web"), (report.Regarding.ApiVersion, report.Regarding.Kind, report.Regarding.NamespaceProperty, report.Regarding.Name, report.Regarding.Uid));
        Assert.Contains("kube-changes-poison", report.Message, StringComparison.Ordinal);
        Assert.Contains("the store is down", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_that_always_fails_for_one_object_is_set_aside_while_the_changes_of_others_flow()
    {
        var broken = new ObjectKey(ResourceTypes.Pods, "default", "web");
        _store.Setup(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>()))
            .Returns((ObjectKey key, CancellationToken _) => key == broken
                ? Task.FromException<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(new InvalidOperationException("this pod cannot be read"))
                : Task.FromResult<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(null));
        await _queue.EnqueueAsync(Change);

        for (var attempt = 1; attempt <= MaxDequeueCount; attempt++)
        {
            // A change to another object queued behind it each round is handled at once and leaves the queue.
            var other = Change with { Name = $"other-{attempt}", Uid = $"uid-other-{attempt}" };
            await _queue.EnqueueAsync(other);
            Assert.Equal(2, await Dispatcher.DispatchBatchAsync());
            Assert.DoesNotContain(_queue.Pending, c => c.Name == other.Name);
            _time.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
        }

        Assert.Equal([Change], _queue.Poisoned);
        Assert.Empty(_queue.Pending);
        Assert.Equal("web", Assert.Single(_events.Reports).Regarding.Name);
        Assert.Single(_poisonCounts);
    }

    [Fact]
    public async Task A_change_that_fails_and_then_succeeds_is_completed_and_not_set_aside()
    {
        // The first read fails; every read after it (by every handler the change reaches) finds the pod gone.
        var reads = 0;
        _store.Setup(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>()))
            .Returns(() => Interlocked.Increment(ref reads) == 1
                ? Task.FromException<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(new InvalidOperationException("the store is down"))
                : Task.FromResult<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(null));
        await _queue.EnqueueAsync(Change);

        await Dispatcher.DispatchBatchAsync();
        _time.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
        await Dispatcher.DispatchBatchAsync();

        Assert.Empty(_queue.Pending);
        Assert.Empty(_queue.Poisoned);
        Assert.Empty(Logged(LogLevel.Error));
    }

    [Fact]
    public async Task A_change_taken_more_than_MaxDequeueCount_times_without_an_outcome_is_set_aside_untried()
    {
        // Each earlier reader died while handling it: it comes back with a dequeue count past the limit.
        await _queue.EnqueueAsync(Change);
        for (var taken = 0; taken < MaxDequeueCount; taken++)
        {
            Assert.Single(await _queue.ReceiveAsync(1, VisibilityTimeout));
            _time.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, await Dispatcher.DispatchBatchAsync());

        Assert.Equal([Change], _queue.Poisoned);
        _store.Verify(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>()), Times.Never);
        var error = Assert.Single(Logged(LogLevel.Error));
        Assert.Null(error.Exception);
        Assert.Equal(_queue.PoisonQueueName, error.Value("PoisonQueue"));
        Assert.Contains("without an outcome", error.Message, StringComparison.Ordinal);
        Assert.Equal("dequeue_limit", (string?)Assert.Single(_poisonCounts).Tags["reason"]);
    }

    [Fact]
    public async Task A_slow_change_holds_up_none_of_the_changes_behind_it()
    {
        // The pod "web" takes as long as the test says; every other object is read at once (and found gone).
        var slow = new TaskCompletionSource<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _store.Setup(s => s.GetAsync(It.IsAny<ObjectKey>(), It.IsAny<CancellationToken>()))
            .Returns((ObjectKey key, CancellationToken _) => key.Name == "web" ? slow.Task : Task.FromResult<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?>(null));
        _store.Setup(s => s.ListAsync(It.IsAny<ResourceType>(), It.IsAny<string?>(), It.IsAny<ListQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ObjectList([], "1"));
        await _queue.EnqueueAsync(Change);
        for (var i = 0; i < 40; i++)
        {
            await _queue.EnqueueAsync(Change with { Name = $"other-{i}", Uid = $"uid-other-{i}" });
        }

        var dispatcher = Dispatcher;
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            // Forty changes in three batches of 16: the second and third are taken while "web" of the first is in hand.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (_queue.Pending.Any(c => c.Name != "web") && DateTime.UtcNow < deadline)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(10);
            }

            Assert.Equal(["web"], _queue.Pending.Select(c => c.Name));
            Assert.False(slow.Task.IsCompleted);

            slow.SetResult(null);
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (_queue.Pending.Count > 0 && DateTime.UtcNow < deadline)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(10);
            }

            Assert.Empty(_queue.Pending);
        }
        finally
        {
            slow.TrySetResult(null);
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }
}
