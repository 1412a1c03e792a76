using DurableKube.Ports.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// Reads the work queue and hands each change to the <see cref="ChangeDispatcher"/>: what the
/// Functions queue trigger does in Azure, for a host without the Functions runtime. It resyncs
/// once at start and then every <see cref="DispatcherOptions.ResyncInterval"/>.
/// </summary>
public sealed partial class QueueDispatcherService : BackgroundService
{
    private readonly IWorkQueue _queue;
    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<DispatcherOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<QueueDispatcherService> _logger;

    /// <summary>Initializes a new instance of the <see cref="QueueDispatcherService"/> class.</summary>
    /// <param name="queue">The work queue.</param>
    /// <param name="scopes">Creates the scope each change is handled in.</param>
    /// <param name="options">The dispatcher options.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    public QueueDispatcherService(IWorkQueue queue, IServiceScopeFactory scopes, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<QueueDispatcherService> logger)
    {
        _queue = queue;
        _scopes = scopes;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes one batch off the queue and handles it.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many changes were taken.</returns>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken = default)
    {
        var options = _options.Value;
        var batch = await _queue.ReceiveAsync(options.BatchSize, options.VisibilityTimeout, cancellationToken);
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (message, ct) =>
        {
            try
            {
                using var scope = _scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<ChangeDispatcher>().DispatchAsync(message.Change, ct);
                await _queue.CompleteAsync(message, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (message.DequeueCount >= options.MaxDequeueCount)
                {
                    // As the Functions queue trigger does with a poison message, minus the poison queue:
                    // the periodic resync makes up for whatever this change meant.
                    LogPoison(_logger, e, message.Change.Resource, message.Change.Namespace, message.Change.Name, message.DequeueCount);
                    await _queue.CompleteAsync(message, ct);
                }
                else
                {
                    LogRetry(_logger, e, message.Change.Resource, message.Change.Namespace, message.Change.Name, message.DequeueCount);
                }
            }
        });
        return batch.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _options.Value;
        var nextResync = DateTimeOffset.MinValue;
        var idle = options.MinPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_time.GetUtcNow() >= nextResync)
                {
                    using var scope = _scopes.CreateScope();
                    await scope.ServiceProvider.GetRequiredService<ChangeDispatcher>().ResyncAsync(stoppingToken);
                    nextResync = _time.GetUtcNow() + options.ResyncInterval;
                }

                if (await DispatchBatchAsync(stoppingToken) > 0)
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

    [LoggerMessage(210, LogLevel.Error, "Giving up on the change to {Resource} {Namespace}/{Name} after {Count} tries")]
    private static partial void LogPoison(ILogger logger, Exception exception, string resource, string? @namespace, string name, long count);

    [LoggerMessage(211, LogLevel.Warning, "Handling the change to {Resource} {Namespace}/{Name} failed (try {Count}); it comes back")]
    private static partial void LogRetry(ILogger logger, Exception exception, string resource, string? @namespace, string name, long count);

    [LoggerMessage(212, LogLevel.Error, "Dispatcher loop failed and carries on: {Message}")]
    private static partial void LogLoopError(ILogger logger, Exception exception, string message);
}
