using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using DurableKube.Ports.Queue;
using DurableKube.Store.AzureStorage.Queues;
using DurableKube.Testing.Azurite;
using DurableKube.Testing.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The Storage queue beyond the work queue contract: its messages are what the Functions queue trigger reads, and unreadable ones are set aside and reported.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueWorkQueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ObjectChange Change = new("pods", "default", "web", "uid-1", ObjectChangeType.Added, "42");

    private readonly AzureStoreHarness _harness = new(azurite);

    /// <summary>A client that sees messages as they are on the wire, as the Functions host gets them.</summary>
    private QueueClient RawQueue => new(_harness.ConnectionString, _harness.Options.ChangeQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>The poison queue as the Functions host and a person see it.</summary>
    private QueueClient RawPoisonQueue => new(_harness.ConnectionString, _harness.WorkQueue.PoisonQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    // Some tests write to the queue before the work queue has created it, as another producer might.
    public Task InitializeAsync() => _harness.Queue.CreateIfNotExistsAsync();

    public Task DisposeAsync() => _harness.DeleteAsync();

    [Fact]
    public async Task Enqueue_WritesTheChangeAsBase64EncodedJson()
    {
        await _harness.WorkQueue.EnqueueAsync(Change);

        var raw = Assert.Single((await RawQueue.PeekMessagesAsync(10)).Value);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(raw.MessageText));
        using var document = JsonDocument.Parse(json);

        Assert.Equal("pods", document.RootElement.GetProperty("resource").GetString());
        Assert.Equal("default", document.RootElement.GetProperty("namespace").GetString());
        Assert.Equal("web", document.RootElement.GetProperty("name").GetString());
        Assert.Equal("uid-1", document.RootElement.GetProperty("uid").GetString());
        Assert.Equal("Added", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("42", document.RootElement.GetProperty("resourceVersion").GetString());
        Assert.Equal(Change, JsonSerializer.Deserialize<ObjectChange>(json));
    }

    [Fact]
    public async Task Receive_ReadsAChangeAnotherWriterPutAsBase64Json()
    {
        var removal = Change with { Namespace = null, Resource = "namespaces", Type = ObjectChangeType.Deleted };
        await RawQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(removal))));

        var received = Assert.Single(await _harness.WorkQueue.ReceiveAsync(32, TimeSpan.FromMinutes(1)));

        Assert.Equal(removal, received.Change);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task Receive_SetsMessagesThatAreNotChangesAsideOnThePoisonQueue_AsTheyCame()
    {
        var notJson = Convert.ToBase64String(Encoding.UTF8.GetBytes("this is not JSON"));
        var incomplete = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"resource\":\"pods\"}"));
        await RawQueue.SendMessageAsync(notJson);
        await RawQueue.SendMessageAsync(incomplete);
        await _harness.WorkQueue.EnqueueAsync(Change);

        var received = await _harness.WorkQueue.ReceiveAsync(32, TimeSpan.FromMinutes(1));

        Assert.Equal(Change, Assert.Single(received).Change);
        await _harness.WorkQueue.CompleteAsync(received[0]);
        Assert.Empty(await StillThereAsync());
        Assert.Equal(new[] { notJson, incomplete }.Order(), (await RawPoisonQueue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText).Order());
    }

    [Fact]
    public async Task Receive_SetsMessagesThatAreNotBase64AsideOnThePoisonQueue_AndReportsThem()
    {
        // The queue client's decoding hook sees these before the work queue does (see AzureStorageClients): kept, not dropped.
        var reporter = new RecordingPoisonReporter();
        var queue = new QueueServiceClient(_harness.ConnectionString, AzureStorageClients.CreateQueueClientOptions(NullLogger.Instance, reporter))
            .GetQueueClient(_harness.Options.ChangeQueue);
        var work = new StorageQueueWorkQueue(queue, NullLogger<StorageQueueWorkQueue>.Instance, reporter);
        await RawQueue.SendMessageAsync("%%% not base64 %%%");
        await work.EnqueueAsync(Change);

        var received = await work.ReceiveAsync(32, TimeSpan.FromMinutes(1));

        Assert.Equal(Change, Assert.Single(received).Change);
        await work.CompleteAsync(received[0]);
        Assert.Empty(await StillThereAsync());
        var kept = Assert.Single((await _harness.PoisonQueue.ReceiveMessagesAsync(32)).Value);
        Assert.Equal("%%% not base64 %%%", kept.Body.ToString());
        var report = Assert.Single(reporter.Reports);
        Assert.Null(report.Change);
        Assert.Equal(work.PoisonQueueName, report.PoisonQueue);
        Assert.Contains("not base64", report.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_ReportsMessagesThatAreNotChanges_WithTheirIdAndWhy()
    {
        var reporter = new RecordingPoisonReporter();
        var work = new StorageQueueWorkQueue(_harness.Queue, NullLogger<StorageQueueWorkQueue>.Instance, reporter);
        var sent = await RawQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"resource\": 42")));

        Assert.Empty(await work.ReceiveAsync(32, TimeSpan.FromMinutes(1)));

        var report = Assert.Single(reporter.Reports);
        Assert.Equal(sent.Value.MessageId, report.MessageId);
        Assert.Null(report.Change);
        Assert.StartsWith("it is not an object change", report.Why, StringComparison.Ordinal);
        Assert.Single((await RawPoisonQueue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task MoveToPoison_WritesTheSameMessageToTheQueueNamedAsTheFunctionsHostNamesIt()
    {
        await _harness.WorkQueue.EnqueueAsync(Change);
        var original = Assert.Single((await RawQueue.PeekMessagesAsync(10)).Value).MessageText;
        var taken = Assert.Single(await _harness.WorkQueue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));

        await _harness.WorkQueue.MoveToPoisonAsync(taken);

        Assert.Equal(_harness.Options.ChangeQueue + "-poison", _harness.WorkQueue.PoisonQueueName);
        Assert.Equal(original, Assert.Single((await RawPoisonQueue.PeekMessagesAsync(10)).Value).MessageText);
        Assert.Empty(await StillThereAsync());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(33, 10)]
    [InlineData(1, -1)]
    public async Task Receive_OutOfRange_Throws(int maxMessages, int visibilitySeconds)
    {
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(() => _harness.WorkQueue.ReceiveAsync(maxMessages, TimeSpan.FromSeconds(visibilitySeconds)));
    }

    /// <summary>Counts every message still in the queue, hidden ones included.</summary>
    private async Task<List<string>> StillThereAsync()
    {
        var properties = await RawQueue.GetPropertiesAsync();
        return Enumerable.Repeat("message", properties.Value.ApproximateMessagesCount).ToList();
    }
}
