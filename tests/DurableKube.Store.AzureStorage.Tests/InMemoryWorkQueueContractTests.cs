using DurableKube.Ports.Queue;
using DurableKube.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>The work queue contract on the in-memory double, on a fake clock.</summary>
public sealed class InMemoryWorkQueueContractTests : WorkQueueContractTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private InMemoryWorkQueue? _queue;

    protected override Task<IWorkQueue> CreateQueueAsync() => Task.FromResult<IWorkQueue>(_queue = new InMemoryWorkQueue(_time));

    protected override Task<IReadOnlyList<ObjectChange>> PoisonedAsync() => Task.FromResult(_queue!.Poisoned);

    protected override Task PassTimeAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
