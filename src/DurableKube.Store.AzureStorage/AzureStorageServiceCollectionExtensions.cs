using Azure.Core;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Queues;
using DurableKube.Store.AzureStorage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Store.AzureStorage;

/// <summary>Registers the Azure Storage object store and work queue.</summary>
public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>The setting the Functions host keeps its storage account in.</summary>
    public const string WebJobsStorageSetting = "AzureWebJobsStorage";

    /// <summary>The connection string of the local emulator, the last fallback.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>
    /// Registers <see cref="IObjectStore"/> (Azure Table storage) and <see cref="IWorkQueue"/> (an Azure
    /// Storage queue) as singletons, with <see cref="AzureStorageOptions"/> bound from the
    /// <c>Storage</c> section and validated at start-up. Tables and queues are created on first use.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Storage</c> section (and <c>AzureWebJobsStorage</c>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureStorageObjectStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AzureStorageOptions>()
            .Configure(options => configuration.GetSection(AzureStorageOptions.SectionName).Bind(options))
            .PostConfigure(options => ApplyFallbacks(options, configuration))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureStorageOptions>, AzureStorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageCredential>();

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            var credential = provider.GetRequiredService<StorageCredential>().Credential;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var reporter = provider.GetService<IPoisonReporter>();
            return new StorageQueueWorkQueue(
                AzureStorageClients.CreateQueueClient(options, credential, loggers.CreateLogger<StorageQueueWorkQueue>(), reporter),
                loggers.CreateLogger<StorageQueueWorkQueue>(),
                reporter);
        });
        services.TryAddSingleton<IWorkQueue>(provider => provider.GetRequiredService<StorageQueueWorkQueue>());

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            var credential = provider.GetRequiredService<StorageCredential>().Credential;
            return new TableObjectStore(
                AzureStorageClients.CreateTableClient(options, credential),
                options,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<TableObjectStore>());
        });
        services.TryAddSingleton<IObjectStore>(provider => new OutageAwareObjectStore(provider.GetRequiredService<TableObjectStore>()));
        return services;
    }

    /// <summary>
    /// Registers the background service that compacts the change log every
    /// <see cref="AzureStorageOptions.ChangeLogCompactionInterval"/>. Call after
    /// <see cref="AddAzureStorageObjectStore"/>; every host that serves watches should run it (several may).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChangeLogCompactor(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostedService<ChangeLogCompactor>();
        return services;
    }

    /// <summary>
    /// Fills in where the store lives when the <c>Storage</c> section does not say: the host's
    /// <c>AzureWebJobsStorage</c> connection string, else its identity-based settings
    /// (<c>AzureWebJobsStorage:tableServiceUri</c>, <c>:queueServiceUri</c>, <c>:clientId</c>), else the emulator.
    /// </summary>
    /// <param name="options">The options bound from <c>Storage</c>.</param>
    /// <param name="configuration">The whole configuration.</param>
    internal static void ApplyFallbacks(AzureStorageOptions options, IConfiguration configuration)
    {
        if (options.TableServiceUri is not null || options.QueueServiceUri is not null || !string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return;
        }

        var webJobs = configuration.GetSection(WebJobsStorageSetting);
        if (!string.IsNullOrWhiteSpace(webJobs.Value))
        {
            options.ConnectionString = webJobs.Value;
            return;
        }

        if (Uri.TryCreate(webJobs["tableServiceUri"], UriKind.Absolute, out var tables)
            && Uri.TryCreate(webJobs["queueServiceUri"], UriKind.Absolute, out var queues))
        {
            options.TableServiceUri = tables;
            options.QueueServiceUri = queues;
            options.ManagedIdentityClientId ??= webJobs["clientId"];
            return;
        }

        options.ConnectionString = DevelopmentStorage;
    }

    /// <summary>The one <see cref="TokenCredential"/> of the store's clients, made only if service URIs are used.</summary>
    /// <param name="options">The options.</param>
    private sealed class StorageCredential(IOptions<AzureStorageOptions> options)
    {
        public Lazy<TokenCredential> Credential { get; } = new(() => AzureStorageClients.CreateCredential(options.Value));
    }
}
