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
/// Activities get <see cref="Stopping"/>, cancelled as soon as the application starts stopping (before any
/// hosted service stops, so an activity does not go on against a runtime or store that is shutting down),
/// and at the latest when this service stops, before the worker is stopped. See <see cref="ShimRegistrar"/>
/// for what becomes of an activity cancelled that way.
/// </remarks>
internal sealed class DurableTaskFrameworkHost : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;
    private readonly Lazy<AzureStorageOrchestrationService> _service;
    private readonly Lazy<TaskHubClient> _client;
    private TaskHubWorker? _worker;

    public DurableTaskFrameworkHost(
        IServiceProvider services, IOptions<DurableTaskOptions> options, IOptions<AzureStorageOptions> storage, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        _services = services;
        _loggers = loggers;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var settings = options.Value;
        _service = new Lazy<AzureStorageOrchestrationService>(() => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = StorageAccount.ForDurableTask(storage.Value),
            TaskHubName = settings.TaskHub,
            WorkerId = settings.WorkerId,
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = settings.VisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.VisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestrations,

            // A start refused for a live instance throws instead of returning as if it had started: the workflow
            // client relies on it to answer "already running" (TaskHubWorkflowClient.StartAsync).
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggers,
        }));
        _client = new Lazy<TaskHubClient>(() => new TaskHubClient(_service.Value, new ShimDataConverter(JsonDataConverter.Default), loggers));
    }

    /// <summary>Gets the client that starts and signals orchestrations in this task hub.</summary>
    public TaskHubClient Client => _client.Value;

    /// <summary>Gets the token activities are given: cancelled when the application starts stopping, or when this service stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _service.Value.CreateIfNotExistsAsync();
        var worker = new TaskHubWorker(_service.Value, _loggers);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, _loggers);
        WorkflowCatalog.Register(new ShimRegistrar(worker, shims, _services, _stopping.Token));
        await worker.StartAsync();
        _worker = worker;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Running activities end (and are put back for after the restart) before the worker waits for them.
        await _stopping.CancelAsync();
        if (_worker is { } worker)
        {
            _worker = null;
            await worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
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
        if (_worker is { } worker)
        {
            await worker.StopAsync(isForced: true);
            worker.Dispose();
        }

        _stopping.Dispose();
    }
}
