using DurableKube.Ports.Queue;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Queues;
using DurableKube.Store.AzureStorage.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Binding, fallbacks and validation of <see cref="AzureStorageOptions"/>, and what the registration puts in the container.</summary>
public sealed class AzureStorageOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = Resolve([]);

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.Null(options.TableServiceUri);
        Assert.Equal("kubeobjects", options.ObjectsTable);
        Assert.Equal("kube-changes", options.ChangeQueue);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WatchPollInterval);
        Assert.Equal(TimeSpan.FromMinutes(15), options.ChangeLogRetention);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ChangeLogCompactionInterval);
    }

    [Fact]
    public void StorageSection_IsBound()
    {
        var options = Resolve(new()
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1",
            ["Storage:ObjectsTable"] = "objects2",
            ["Storage:ChangeQueue"] = "changes-2",
            ["Storage:WatchPollInterval"] = "00:00:00.100",
            ["Storage:ChangeLogRetention"] = "00:30:00",
            ["AzureWebJobsStorage"] = "ignored when Storage has its own",
        });

        Assert.Equal("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1", options.ConnectionString);
        Assert.Equal("objects2", options.ObjectsTable);
        Assert.Equal("changes-2", options.ChangeQueue);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.WatchPollInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), options.ChangeLogRetention);
    }

    [Fact]
    public void EmptyConnectionString_FallsBackToAzureWebJobsStorage()
    {
        var options = Resolve(new() { ["Storage:ConnectionString"] = "", ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==" });

        Assert.Equal("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==", options.ConnectionString);
    }

    [Fact]
    public void IdentityBasedAzureWebJobsStorage_GivesServiceUrisAndTheIdentity()
    {
        var options = Resolve(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://account.table.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://account.queue.core.windows.net",
            ["AzureWebJobsStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        });

        Assert.Equal(new Uri("https://account.table.core.windows.net"), options.TableServiceUri);
        Assert.Equal(new Uri("https://account.queue.core.windows.net"), options.QueueServiceUri);
        Assert.Equal("11111111-2222-3333-4444-555555555555", options.ManagedIdentityClientId);
        Assert.True(string.IsNullOrEmpty(options.ConnectionString));
    }

    [Fact]
    public void ServiceUris_InTheStorageSection_NeedNoConnectionString()
    {
        var options = Resolve(new()
        {
            ["Storage:TableServiceUri"] = "https://account.table.core.windows.net/",
            ["Storage:QueueServiceUri"] = "https://account.queue.core.windows.net/",
        });

        Assert.Equal("account.table.core.windows.net", options.TableServiceUri!.Host);
        Assert.Null(options.ConnectionString);
    }

    [Theory]
    [InlineData("Storage:ObjectsTable", "1table")]
    [InlineData("Storage:ObjectsTable", "kube-objects")]
    [InlineData("Storage:ObjectsTable", "ab")]
    [InlineData("Storage:ChangeQueue", "Kube-Changes")]
    [InlineData("Storage:ChangeQueue", "kube--changes")]
    [InlineData("Storage:ChangeQueue", "-kube")]
    [InlineData("Storage:ChangeQueue", "a-queue-name-so-long-that-its-poison-queue-would-not-fit1")]
    [InlineData("Storage:WatchPollInterval", "00:00:00")]
    [InlineData("Storage:ChangeLogRetention", "00:00:00")]
    [InlineData("Storage:ChangeLogCompactionInterval", "00:00:00")]
    [InlineData("Storage:TableServiceUri", "https://account.table.core.windows.net")]
    public void InvalidSettings_FailValidation(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.NotEmpty(error.Failures);
    }

    [Fact]
    public void RetentionShorterThanAFewPolls_FailsValidation()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Storage:WatchPollInterval"] = "00:00:01",
            ["Storage:ChangeLogRetention"] = "00:00:02",
        }));

        Assert.Contains(error.Failures, f => f.Contains("ChangeLogRetention", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidSettings_StopTheHostFromStarting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ObjectsTable"] = "no_underscores" });
        builder.Services.AddAzureStorageObjectStore(builder.Configuration);
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public void Registration_GivesOneStoreAndOneQueue_ForTheWholeApplication()
    {
        using var provider = Services(new() { ["Storage:TableServiceUri"] = "https://account.table.core.windows.net", ["Storage:QueueServiceUri"] = "https://account.queue.core.windows.net" })
            .AddChangeLogCompactor()
            .BuildServiceProvider();

        var store = provider.GetRequiredService<IObjectStore>();
        var queue = provider.GetRequiredService<IWorkQueue>();

        // The table store, behind the guard that turns storage being away into Unavailable (the API's 503).
        Assert.IsType<OutageAwareObjectStore>(store);
        Assert.Same(provider.GetRequiredService<TableObjectStore>(), provider.GetRequiredService<TableObjectStore>());
        Assert.IsType<StorageQueueWorkQueue>(queue);
        Assert.Same(store, provider.GetRequiredService<IObjectStore>());
        Assert.Same(queue, provider.GetRequiredService<IWorkQueue>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is ChangeLogCompactor);
    }

    [Fact]
    public void Registration_GuardsItsArguments()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.Throws<ArgumentNullException>(() => AzureStorageServiceCollectionExtensions.AddAzureStorageObjectStore(null!, configuration));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddAzureStorageObjectStore(null!));
        Assert.Throws<ArgumentNullException>(() => AzureStorageServiceCollectionExtensions.AddChangeLogCompactor(null!));
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAzureStorageObjectStore(configuration);
        return services;
    }

    private static AzureStorageOptions Resolve(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
    }
}
