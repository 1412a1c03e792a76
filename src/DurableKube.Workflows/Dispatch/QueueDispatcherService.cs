using DurableKube.Ports.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// Reads the work queue and hands each change to the <see cref="ChangeDispatcher"/>: what the
/// Functions queue trigger does in Azure, for a host without the Functions runtime. It resyncs
/// once at start and then every <see cref="DispatcherOptions.ResyncInterval"/>. A change that fails
/// <see cref="DispatcherOptions.MaxDequeueCount"/> times goes to the work queue's poison queue, as the
/// queue trigger moves its poison messages, and is reported (<see cref="IPoisonReporter"/>: a log, a counter, an event on
/// its object).
/// </summary>
public sealed partial class QueueDispatcherService : BackgroundService
{
    /// <summary>How soon a resync that failed is tried again; the changes on the queue are dispatched meanwhile.</summary>
    private static readonly TimeSpan ResyncRetry = TimeSpan.FromSeconds(5);

    private readonly IWorkQueue _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<DispatcherOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueDispatcherService> _logger;
    private readonly IPoisonReporter? _reporter;

    /// <summary>Initializes a new instance of the <see cref="QueueDispatcherService"/> class.</summary>
    /// <param name="queue">The work queue.</param>
    /// <param name="scopes">Creates the scope each change is handled in.</param>
    /// <param name="options">The dispatcher options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="reporter">Reports the changes set aside (without one, they are only logged).</param>
    public QueueDispatcherService(IWorkQueue queue, IServiceScopeFactory scopes, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<QueueDispatcherService> logger, IPoisonReporter? reporter = null)
    {
        _queue = queue;
        _scopes = scopes;
        _options = options;
        _time = time;
        _logger = logger;
        _reporter = reporter;
    }

    /// <summary>Takes one batch off the queue and handles all of it.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many changes were taken.</returns>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken = default)
    {
        var options = _options.Value;
        var batch = await _queue.ReceiveAsync(options.BatchSize, options.VisibilityTimeout, cancellationToken);
        await Task.WhenAll(batch.Select(message => HandleAsync(message, cancellationToken)));
        return batch.Count;
    }

    /// <inheritdoc />
    /// <remarks>
    /// As the Functions queue trigger: a new batch is taken as soon as no more than
    /// <see cref="DispatcherOptions.NewBatchThreshold"/> changes are still in hand, not once the whole last batch is done,
    /// so one slow change (a workflow start behind a busy task hub) holds up no others.
    /// </remarks>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        var nextResync = DateTimeOffset.MinValue;
        var idle = options.MinPollInterval;
        var inHand = new HashSet<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                inHand.RemoveWhere(t => t.IsCompleted);
                if (inHand.Count > options.NewBatchThreshold)
                {
                    await Task.WhenAny(inHand);
                    continue;
                }

                if (_time.GetUtcNow() >= nextResync)
                {
                    nextResync = await ResyncAsync(options, stoppingToken);
                }

                try
                {
                    var batch = await _queue.ReceiveAsync(options.BatchSize, options.VisibilityTimeout, stoppingToken);
                    foreach (var message in batch)
                    {
                        inHand.Add(HandleAsync(message, stoppingToken));
                    }

                    if (batch.Count > 0)
                    {
                        idle = options.MinPollInterval;
                        continue;
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogLoopError(_logger, e, e.Message);
                }

                try
                {
                    await Task.Delay(idle, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                // Poll less often while the queue stays empty, as the Functions queue trigger does.
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
            }
        }
        finally
        {
            // What is in hand finishes or is cancelled with the host; a change cut short comes back after its visibility timeout.
            try
            {
                await Task.WhenAll(inHand);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }

    /// <summary>Resyncs every handler; returns when to do it next: after the interval, or soon if it failed (changes flow meanwhile).</summary>
    private async Task<DateTimeOffset> ResyncAsync(DispatcherOptions options, CancellationToken stoppingToken)
    {
        try
        {
            using var scope = _scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ChangeDispatcher>().ResyncAsync(stoppingToken);
            return _time.GetUtcNow() + options.ResyncInterval;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogLoopError(_logger, e, e.Message);
            return _time.GetUtcNow() + (options.ResyncInterval < ResyncRetry ? options.ResyncInterval : ResyncRetry);
        }
    }

    /// <summary>Handles one change: completes it, or leaves it to come back, or sets it aside after its last try.</summary>
    private async Task HandleAsync(QueuedChange message, CancellationToken cancellationToken)
    {
        await Task.Yield(); // The caller takes the rest of its batch while this one runs.
        var options = _options.Value;
        if (message.DequeueCount > options.MaxDequeueCount)
        {
            // Taken more often than allowed without an outcome (a host died while handling it, each
            // time): the Functions queue trigger sets such a message aside untried, and so does this.
            await SetAsideAsync(message, null, cancellationToken);
            return;
        }

        try
        {
            using var scope = _scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ChangeDispatcher>().DispatchAsync(message.Change, cancellationToken);
            await _queue.CompleteAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (message.DequeueCount >= options.MaxDequeueCount)
            {
                // As the Functions queue trigger does with a poison message: kept on the poison queue
                // for a person to look at and re-queue; meanwhile the periodic resync makes up for it.
                await SetAsideAsync(message, e, cancellationToken);
            }
            else
            {
                LogRetry(_logger, e, message.Change.Resource, message.Change.Namespace, message.Change.Name, message.DequeueCount);
            }
        }
    }

    /// <summary>Moves a change that keeps failing to the poison queue and says so; if that fails too, it comes back and is moved then.</summary>
    private async Task SetAsideAsync(QueuedChange message, Exception? failure, CancellationToken cancellationToken)
    {
        var change = message.Change;
        try
        {
            await _queue.MoveToPoisonAsync(message, cancellationToken);
            var why = failure is null
                ? $"it was taken {message.DequeueCount} times, more than {_options.Value.MaxDequeueCount}, without an outcome (its handler never finished)"
                : $"its handling failed {message.DequeueCount} times, last with {failure.GetType().Name}: {failure.Message}";
            if (_reporter is null)
            {
                LogPoison(_logger, failure, change.Resource, change.Namespace, change.Name, change.Uid, change.ResourceVersion, message.DequeueCount, _queue.PoisonQueueName);
            }
            else
            {
                _reporter.Report(new PoisonMessage(message.MessageId, _queue.PoisonQueueName, change, message.DequeueCount, why, failure));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPoisonMoveFailed(_logger, e, change.Resource, change.Namespace, change.Name, _queue.PoisonQueueName);
        }
    }

    [LoggerMessage(210, LogLevel.Error, "Set the change to {Resource} {Namespace}/{Name} (uid {Uid}, resource version {ResourceVersion}) aside on queue {PoisonQueue} after {Count} tries; the resync covers it, and it can be re-queued from there once the cause is fixed")]
    private static partial void LogPoison(ILogger logger, Exception? exception, string resource, string? @namespace, string name, string uid, string resourceVersion, long count, string poisonQueue);

    [LoggerMessage(213, LogLevel.Warning, "Could not move the change to {Resource} {Namespace}/{Name} to queue {PoisonQueue}; it comes back and is moved then")]
    private static partial void LogPoisonMoveFailed(ILogger logger, Exception exception, string resource, string? @namespace, string name, string poisonQueue);

    [LoggerMessage(211, LogLevel.Warning, "Handling the change to {Resource} {Namespace}/{Name} failed (try {Count}); it comes back")]
    private static partial void LogRetry(ILogger logger, Exception exception, string resource, string? @namespace, string name, long count);

    [LoggerMessage(212, LogLevel.Error, "Dispatcher loop failed and carries on: {Message}")]
    private static partial void LogLoopError(ILogger logger, Exception exception, string message);
}
