using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using DurableKube.Ports.Queue;
using DurableKube.Testing.Azurite;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The Storage queue beyond the work queue contract: its messages are what the Functions queue trigger reads, and unreadable ones are set aside.</summary>
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
    public async Task Receive_DropsMessagesThatAreNotBase64()
    {
        // The queue client's decoding hook removes these before the work queue sees them (see AzureStorageClients).
        await RawQueue.SendMessageAsync("%%% not base64 %%%");
        await _harness.WorkQueue.EnqueueAsync(Change);

        var received = await _harness.WorkQueue.ReceiveAsync(32, TimeSpan.FromMinutes(1));

        Assert.Equal(Change, Assert.Single(received).Change);
        await _harness.WorkQueue.CompleteAsync(received[0]);
        Assert.Empty(await StillThereAsync());
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
