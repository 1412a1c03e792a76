using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Store.AzureStorage.Tables;

/// <summary>
/// Compacts the store's change log every <see cref="AzureStorageOptions.ChangeLogCompactionInterval"/>,
/// keeping <see cref="AzureStorageOptions.ChangeLogRetention"/>. Several processes may run it at once.
/// </summary>
/// <param name="store">The store.</param>
/// <param name="options">The interval and retention.</param>
/// <param name="time">The clock the interval is measured on.</param>
/// <param name="logger">The logger.</param>
internal sealed class ChangeLogCompactor(
    TableObjectStore store, IOptions<AzureStorageOptions> options, TimeProvider time, ILogger<ChangeLogCompactor> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ChangeLogCompactionInterval;
        var retention = options.Value.ChangeLogRetention;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.CompactChangeLogAsync(retention, stoppingToken);
                }
                catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or TimeoutException)
                {
                    Log.CompactionFailed(logger, interval, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
