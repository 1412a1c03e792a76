using System.Threading.Channels;
using DurableKube.Domain.Events;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Events;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Events;

/// <summary>
/// The <see cref="IEventRecorder"/> of both hosts: a report goes into a bounded buffer at once (a full buffer
/// drops it and logs), and one background loop correlates the reports (<see cref="EventCorrelator"/>) and writes
/// them through the <see cref="ObjectRegistry"/>, creating a new Event or updating the one it repeats. The same
/// loop sweeps the Events whose time-to-live (<see cref="EventOptions.Ttl"/>) has passed since their last write,
/// every <see cref="EventOptions.SweepInterval"/>, so expired events do not grow the store. A failed write is
/// logged and forgotten: recording never fails or slows down the write of the component that reported.
/// </summary>
public sealed class EventRecorder : BackgroundService, IEventRecorder
{
    private readonly Channel<(EventReport Report, DateTimeOffset At)> _reports;
    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly EventOptions _options;
    private readonly ILogger<EventRecorder> _logger;
    private readonly EventCorrelator _correlator = new();
    private long _dropped;

    /// <summary>Initializes a new instance of the <see cref="EventRecorder"/> class.</summary>
    /// <param name="registry">The write path.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The TTL, sweep interval and buffer size.</param>
    /// <param name="logger">The logger.</param>
    public EventRecorder(ObjectRegistry registry, TimeProvider time, IOptions<EventOptions> options, ILogger<EventRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _reports = Channel.CreateBounded<(EventReport, DateTimeOffset)>(
            new BoundedChannelOptions(_options.Buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    }

    /// <inheritdoc />
    public void Record(EventReport report)
    {
        if (report is null)
        {
            return;
        }

        if (!_reports.Writer.TryWrite((report, _time.GetUtcNow())))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            Log.EventDropped(_logger, report.Reason, report.Regarding.Kind ?? string.Empty, report.Regarding.NamespaceProperty ?? string.Empty, report.Regarding.Name ?? string.Empty, dropped);
        }
    }

    /// <summary>Writes every report waiting in the buffer (for tests and for a host that stops).</summary>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when the buffer is empty.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (_reports.Reader.TryRead(out var item))
        {
            await WriteAsync(item.Report, item.At, cancellationToken);
        }
    }

    /// <summary>Removes the Events whose time-to-live has passed since their last write.</summary>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    /// <returns>How many were removed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var expired = await _registry.ListAsync<Corev1Event>(ResourceTypes.Events, null, e => EventExpiry.IsExpired(e, now, _options.Ttl), cancellationToken);
        var removed = 0;
        foreach (var ev in expired)
        {
            try
            {
                await _registry.DeleteAsync(
                    new ObjectKey(ResourceTypes.Events, ev.Metadata.NamespaceProperty, ev.Metadata.Name),
                    new DeleteOptions(Preconditions: new Preconditions(ev.Metadata.Uid, ev.Metadata.ResourceVersion)),
                    cancellationToken);
                _correlator.Forget(ev.Metadata.Name);
                removed++;
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
            {
                // Gone already, or written again meanwhile (its time-to-live starts over).
            }
        }

        return removed;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = _time.GetUtcNow() + _options.SweepInterval;
                    var removed = await SweepAsync(stoppingToken);
                    if (removed > 0)
                    {
                        Log.EventsSwept(_logger, removed);
                    }
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(_options.SweepInterval);
                try
                {
                    if (await _reports.Reader.WaitToReadAsync(wait.Token))
                    {
                        await FlushAsync(stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Time to sweep.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.EventsFailed(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task WriteAsync(EventReport report, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var correlation = _correlator.Correlate(report, at);
        if (correlation.Event is not { } ev)
        {
            Log.EventFiltered(_logger, report.Reason, report.Regarding.Name ?? string.Empty);
            return;
        }

        try
        {
            if (correlation.Update && await UpdateAsync(ev, cancellationToken))
            {
                return;
            }

            await _registry.CreateAsync(ResourceTypes.Events, ev, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is StoreException or ObjectRejectedException)
        {
            // A namespace that went, an event that someone else wrote: best effort, as client-go's recorder.
            Log.EventNotWritten(_logger, report.Reason, report.Regarding.Kind ?? string.Empty, report.Regarding.NamespaceProperty ?? string.Empty, report.Regarding.Name ?? string.Empty, e.Message);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            Log.EventNotWritten(_logger, report.Reason, report.Regarding.Kind ?? string.Empty, report.Regarding.NamespaceProperty ?? string.Empty, report.Regarding.Name ?? string.Empty, e.Message);
        }
    }

    /// <summary>Updates the event a repeat names; false when it is gone (expired), so the caller creates it anew.</summary>
    private async Task<bool> UpdateAsync(Corev1Event ev, CancellationToken cancellationToken)
    {
        try
        {
            await _registry.UpdateAsync(
                new ObjectKey(ResourceTypes.Events, ev.Metadata.NamespaceProperty, ev.Metadata.Name),
                stored =>
                {
                    var current = (Corev1Event)stored;
                    current.Count = ev.Count;
                    current.LastTimestamp = ev.LastTimestamp;
                    current.Message = ev.Message;
                    current.Series = ev.Series;
                    return current;
                },
                cancellationToken: cancellationToken);
            return true;
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            ev.Count = 1;
            ev.Series = null;
            ev.FirstTimestamp = ev.LastTimestamp;
            return false;
        }
    }

}
