using System.Diagnostics.Metrics;
using DurableKube.Domain.Events;
using DurableKube.Domain.Kinds;
using DurableKube.Ports.Events;
using DurableKube.Ports.Queue;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// The <see cref="IPoisonReporter"/> of both hosts. A message set aside is reported three ways: an error in the log
/// with the message id, the queues and why; the OpenTelemetry counter <c>durablekube.dispatcher.poison_messages</c>
/// (meter <see cref="MeterName"/>, tags <c>resource</c> and <c>reason</c>: <c>failed</c>, <c>unreadable</c>,
/// <c>dequeue_limit</c>); and, when the message names an object, a Warning event <see cref="EventReason"/> on that
/// object, which <c>kubectl describe</c> and <c>kubectl get events</c> show.
/// </summary>
public sealed partial class PoisonReporter : IPoisonReporter, IDisposable
{
    /// <summary>The name of the meter the counter is published on.</summary>
    public const string MeterName = "DurableKube.Workflows";

    /// <summary>The name of the counter.</summary>
    public const string CounterName = "durablekube.dispatcher.poison_messages";

    /// <summary>The reason of the event on the object.</summary>
    public const string EventReason = "ChangeSetAside";

    /// <summary>The component the event names.</summary>
    public const string Component = "change-dispatcher";

    private readonly Meter _meter;
    private readonly Counter<long> _counter;
    private readonly KindRegistry? _kinds;
    private readonly IServiceProvider _services;
    private readonly ILogger<PoisonReporter> _logger;

    /// <summary>Initializes a new instance of the <see cref="PoisonReporter"/> class.</summary>
    /// <param name="services">
    /// Where the <see cref="IEventRecorder"/> is found when the first event is recorded: the recorder writes through the
    /// registry, whose write hook queues changes on the work queue, which reports to this, so it cannot be a constructor
    /// argument.
    /// </param>
    /// <param name="logger">The logger.</param>
    /// <param name="kinds">The kinds, to name the object of an event (without them no event is recorded).</param>
    /// <param name="meters">The host's meter factory, or <see langword="null"/> for a meter of its own.</param>
    public PoisonReporter(IServiceProvider services, ILogger<PoisonReporter> logger, KindRegistry? kinds = null, IMeterFactory? meters = null)
    {
        _services = services;
        _kinds = kinds;
        _logger = logger;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _counter = _meter.CreateCounter<long>(CounterName, unit: "{message}", description: "Work-queue messages set aside on the poison queue.");
    }

    /// <summary>The counter's <c>reason</c> tag for a message.</summary>
    /// <param name="message">The message.</param>
    /// <returns><c>unreadable</c>, <c>failed</c> or <c>dequeue_limit</c>.</returns>
    public static string ReasonOf(PoisonMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Change is null ? "unreadable" : message.Failure is null ? "dequeue_limit" : "failed";
    }

    /// <inheritdoc />
    public void Report(PoisonMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var change = message.Change;
        var reason = ReasonOf(message);
        _counter.Add(1, new KeyValuePair<string, object?>("resource", change?.Resource ?? "unknown"), new KeyValuePair<string, object?>("reason", reason));
        if (change is null)
        {
            LogUnreadable(_logger, message.Failure, message.MessageId, message.PoisonQueue, message.DequeueCount, message.Why);
            return;
        }

        LogSetAside(_logger, message.Failure, message.MessageId, change.Resource, change.Namespace, change.Name, change.Uid, change.ResourceVersion, message.PoisonQueue, message.DequeueCount, message.Why);
        if (_kinds?.Find(change.Resource) is not { } kind || change.Type == ObjectChangeType.Deleted || _services.GetService(typeof(IEventRecorder)) is not IEventRecorder events)
        {
            // A removed object has nothing left to hang an event on; the log and the counter say it.
            return;
        }

        events.Record(new EventReport(
            Component,
            null,
            new V1ObjectReference
            {
                ApiVersion = kind.Type.ApiVersion,
                Kind = kind.Type.Kind,
                NamespaceProperty = change.Namespace,
                Name = change.Name,
                Uid = change.Uid,
                ResourceVersion = change.ResourceVersion,
            },
            EventReport.Warning,
            EventReason,
            $"The change at resourceVersion {change.ResourceVersion} could not be handled after {message.DequeueCount} tries and was set aside on queue {message.PoisonQueue} (message {message.MessageId}): {message.Why}. The resync reconciles the object meanwhile."));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    [LoggerMessage(214, LogLevel.Error, "Set queue message {MessageId} (the change to {Resource} {Namespace}/{Name}, uid {Uid}, resource version {ResourceVersion}) aside on queue {PoisonQueue} after {Count} tries: {Why}. The resync covers the object; the message can be re-queued from there once the cause is fixed")]
    private static partial void LogSetAside(ILogger logger, Exception? exception, string messageId, string resource, string? @namespace, string name, string uid, string resourceVersion, string poisonQueue, long count, string why);

    [LoggerMessage(215, LogLevel.Error, "Set queue message {MessageId} aside on queue {PoisonQueue} after {Count} tries: it is not an object change ({Why})")]
    private static partial void LogUnreadable(ILogger logger, Exception? exception, string messageId, string poisonQueue, long count, string why);
}
