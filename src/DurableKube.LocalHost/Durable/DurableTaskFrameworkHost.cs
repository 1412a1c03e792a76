using DurableKube.Ports.Workflows;
using DurableKube.Store.AzureStorage;
using DurableKube.Workflows.Hosting;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace DurableKube.LocalHost.Durable;

/// <summary>
/// Runs the workflow catalog on the Durable Task Framework with its Azure Storage provider (Azurite
/// locally): the same orchestrators and activities the Functions app runs, without the Functions host.
/// </summary>
/// <remarks>
/// <para>
/// Activities get <see cref="Stopping"/>, cancelled as soon as the application starts stopping (before any
/// hosted service stops, so an activity does not go on against a runtime or store that is shutting down),
/// and at the latest when this service stops, before the worker is stopped. See <see cref="ShimRegistrar"/>
/// for what becomes of an activity cancelled that way.
/// </para>
/// <para>
/// The client and the worker have an orchestration service each (as the Durable extension gives its clients their
/// own), so the worker can be started afresh (<see cref="RestartAsync"/>) under a client that goes on.
/// </para>
/// </remarks>
internal sealed partial class DurableTaskFrameworkHost : IHostedService, IWorkflowWorker, IAsyncDisposable
{
    /// <summary>How long a restart waits for the old worker to let go before it starts the new one anyway.</summary>
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);

    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DurableTaskFrameworkHost> _logger;
    private readonly DurableTaskOptions _settings;
    private readonly AzureStorageOptions _storage;
    private readonly CancellationTokenSource _stopping;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<AzureStorageOrchestrationService> _clientService;
    private readonly Lazy<TaskHubClient> _client;
    private readonly Action<IWorkflowRegistrar> _catalog;
    private Worker? _worker;
    private int _disposed;

    public DurableTaskFrameworkHost(
        IServiceProvider services, IOptions<DurableTaskOptions> options, IOptions<AzureStorageOptions> storage, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
        : this(services, options, storage, loggers, lifetime, WorkflowCatalog.Register)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DurableTaskFrameworkHost"/> class that runs the workflows <paramref name="catalog"/> registers (tests).</summary>
    internal DurableTaskFrameworkHost(
        IServiceProvider services, IOptions<DurableTaskOptions> options, IOptions<AzureStorageOptions> storage, ILoggerFactory loggers, IHostApplicationLifetime lifetime,
        Action<IWorkflowRegistrar> catalog)
    {
        _catalog = catalog;
        _services = services;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DurableTaskFrameworkHost>();
        _settings = options.Value;
        _storage = storage.Value;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _clientService = new Lazy<AzureStorageOrchestrationService>(NewService);
        _client = new Lazy<TaskHubClient>(() => new TaskHubClient(_clientService.Value, new ShimDataConverter(JsonDataConverter.Default), loggers));
    }

    /// <summary>Gets the client that starts and signals orchestrations in this task hub.</summary>
    public TaskHubClient Client => _client.Value;

    /// <summary>Gets the token the host's activities are given: cancelled when the application starts stopping, or when this service stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _clientService.Value.CreateIfNotExistsAsync();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _worker = await StartWorkerAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Starts the worker afresh: the running one is stopped (its activities cancelled, so they go back to their queue;
    /// its partitions released) and dropped with its orchestration service and all that service held in memory, then a
    /// new service and worker, with the same worker id, take the partitions again and read every instance's messages
    /// from storage. DurableTask.AzureStorage can hold an instance's session in memory for good after its storage went
    /// away and came back (Azure/durabletask#605: "only a lease failover or a machine restart would cause the
    /// orchestration to continue"); this is that failover, without a restart of the host.
    /// </summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="cancellationToken">Cancels the wait for the gate.</param>
    /// <returns>Whether it restarted (not when the host is stopping, or was never started).</returns>
    public async Task<bool> RestartAsync(string reason, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_worker is not { } old || _stopping.IsCancellationRequested)
            {
                return false;
            }

            LogRestarting(_logger, reason);
            _worker = null;
            await old.StopAsync(_logger);
            _worker = await StartWorkerAsync();
            LogRestarted(_logger);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Running activities end (and are put back for after the restart) before the worker waits for them.
        await _stopping.CancelAsync();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_worker is { } worker)
            {
                _worker = null;
                await worker.Hub.StopAsync(isForced: false).WaitAsync(cancellationToken);
                worker.Dispose();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this twice: as the singleton, and as the hosted service its factory returned.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (Interlocked.Exchange(ref _worker, null) is { } worker)
        {
            await worker.Hub.StopAsync(isForced: true);
            worker.Dispose();
        }

        if (_clientService.IsValueCreated)
        {
            _clientService.Value.Dispose();
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    private AzureStorageOrchestrationService NewService() => new(new AzureStorageOrchestrationServiceSettings
    {
        StorageAccountClientProvider = StorageAccount.ForDurableTask(_storage),
        TaskHubName = _settings.TaskHub,
        WorkerId = _settings.WorkerId,
        PartitionCount = _settings.PartitionCount,
        MaxQueuePollingInterval = _settings.MaxQueuePollingInterval,
        ControlQueueVisibilityTimeout = _settings.VisibilityTimeout,
        WorkItemQueueVisibilityTimeout = _settings.VisibilityTimeout,
        MaxConcurrentTaskActivityWorkItems = _settings.MaxConcurrentActivities,
        MaxConcurrentTaskOrchestrationWorkItems = _settings.MaxConcurrentOrchestrations,
        ExtendedSessionsEnabled = _settings.ExtendedSessionIdleTimeout > TimeSpan.Zero,
        ExtendedSessionIdleTimeout = _settings.ExtendedSessionIdleTimeout,

        // A start refused for a live instance throws instead of returning as if it had started: the workflow
        // client relies on it to answer "already running" (TaskHubWorkflowClient.StartAsync).
        ThrowExceptionOnInvalidDedupeStatus = true,
        LoggerFactory = _loggers,
    });

    private async Task<Worker> StartWorkerAsync()
    {
        // Each worker's activities stop with it, and with the host.
        var stopping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var service = NewService();
        var hub = new TaskHubWorker(service, _loggers);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, _loggers);
        _catalog(new ShimRegistrar(hub, shims, _services, stopping.Token));
        await hub.StartAsync();
        return new Worker(hub, service, stopping);
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "Restarting the Durable Task worker: {Reason}")]
    private static partial void LogRestarting(ILogger logger, string reason);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "The Durable Task worker was restarted; it reads every instance's messages from storage again")]
    private static partial void LogRestarted(ILogger logger);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "The old Durable Task worker did not stop within {Patience}; starting the new one anyway")]
    private static partial void LogStopTimedOut(ILogger logger, TimeSpan patience);

    /// <summary>A running worker, the orchestration service it alone uses, and its activities' stopping token.</summary>
    private sealed record Worker(TaskHubWorker Hub, AzureStorageOrchestrationService Service, CancellationTokenSource Stopping) : IDisposable
    {
        /// <summary>Stops it for good: activities cancelled (put back on their queue), sessions dropped, partitions released.</summary>
        public async Task StopAsync(ILogger logger)
        {
            await Stopping.CancelAsync();
            try
            {
                await Hub.StopAsync(isForced: true).WaitAsync(StopPatience);
            }
            catch (TimeoutException)
            {
                LogStopTimedOut(logger, StopPatience);
            }

            Dispose();
        }

        public void Dispose()
        {
            Hub.Dispose();
            Service.Dispose();
            Stopping.Dispose();
        }
    }
}
