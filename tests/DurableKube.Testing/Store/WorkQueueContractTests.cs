using DurableKube.Ports.Queue;
using Xunit;

namespace DurableKube.Testing.Store;

/// <summary>What every <see cref="IWorkQueue"/> promises, as tests. A concrete class per queue supplies a fresh, empty queue for each test.</summary>
public abstract class WorkQueueContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    /// <summary>Gets the queue under test.</summary>
    protected IWorkQueue Queue { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Queue = await CreateQueueAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeQueueAsync();

    /// <summary>Creates an empty queue.</summary>
    /// <returns>The queue.</returns>
    protected abstract Task<IWorkQueue> CreateQueueAsync();

    /// <summary>Lets time pass on the clock the queue measures visibility timeouts on.</summary>
    /// <param name="duration">How much.</param>
    /// <returns>A task that completes when it has passed.</returns>
    protected abstract Task PassTimeAsync(TimeSpan duration);

    /// <summary>Reads what the queue has set aside on its poison queue, without taking it.</summary>
    /// <returns>The changes on the poison queue, oldest first.</returns>
    protected abstract Task<IReadOnlyList<ObjectChange>> PoisonedAsync();

    /// <summary>Releases what <see cref="CreateQueueAsync"/> made.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    protected virtual Task DisposeQueueAsync() => Task.CompletedTask;

    [Fact]
    public async Task Receive_GivesAnEnqueuedChange_TakenOnce()
    {
        var change = Change("web");
        await Queue.EnqueueAsync(change);

        var taken = Assert.Single(await Queue.ReceiveAsync(32, Long));

        Assert.Equal(change, taken.Change);
        Assert.Equal(1, taken.DequeueCount);
        Assert.False(string.IsNullOrEmpty(taken.MessageId));
        Assert.False(string.IsNullOrEmpty(taken.PopReceipt));
    }

    [Fact]
    public async Task Receive_TakesAtMostMaxMessages_AndHidesWhatItTook()
    {
        for (var i = 0; i < 5; i++)
        {
            await Queue.EnqueueAsync(Change($"pod-{i}"));
        }

        var first = await Queue.ReceiveAsync(2, Long);
        var rest = await Queue.ReceiveAsync(32, Long);
        var none = await Queue.ReceiveAsync(32, Long);

        Assert.Equal(2, first.Count);
        Assert.Equal(3, rest.Count);
        Assert.Empty(none);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"pod-{i}").Order(), first.Concat(rest).Select(c => c.Change.Name).Order());
    }

    [Fact]
    public async Task Complete_RemovesTheChangeForGood()
    {
        await Queue.EnqueueAsync(Change("web"));
        var taken = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));

        await Queue.CompleteAsync(taken);
        await Queue.CompleteAsync(taken);
        await PassTimeAsync(TimeSpan.FromSeconds(3));

        Assert.Empty(await Queue.ReceiveAsync(32, Long));
    }

    [Fact]
    public async Task ChangeNotCompletedInTime_ComesBack_AndOnlyTheNewReceiptCompletesIt()
    {
        await Queue.EnqueueAsync(Change("web"));
        var first = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));

        var again = await ReceiveOneAsync(TimeSpan.FromSeconds(1));
        await Queue.CompleteAsync(first);
        var third = await ReceiveOneAsync(Long);

        Assert.Equal(first.Change, again.Change);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(3, third.DequeueCount);
        await Queue.CompleteAsync(third);
        Assert.Empty(await Queue.ReceiveAsync(32, Long));
    }

    [Fact]
    public async Task MoveToPoison_SetsTheChangeAsideOnThePoisonQueue_AndTakesItOffTheWorkQueue()
    {
        var change = Change("web");
        await Queue.EnqueueAsync(change);
        await Queue.EnqueueAsync(Change("db"));
        var taken = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));

        await Queue.MoveToPoisonAsync(taken);
        await PassTimeAsync(TimeSpan.FromSeconds(3));

        Assert.Equal([taken.Change], await PoisonedAsync());
        var rest = Assert.Single(await Queue.ReceiveAsync(32, Long));
        Assert.NotEqual(taken.Change, rest.Change);
        Assert.EndsWith("-poison", Queue.PoisonQueueName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoveToPoison_Twice_SetsTheChangeAsideOnce()
    {
        await Queue.EnqueueAsync(Change("web"));
        var taken = Assert.Single(await Queue.ReceiveAsync(1, Long));

        await Queue.MoveToPoisonAsync(taken);
        await Queue.MoveToPoisonAsync(taken);

        Assert.Equal([taken.Change], await PoisonedAsync());
    }

    [Fact]
    public async Task MoveToPoison_OfAChangeCompletedAlready_DoesNothing()
    {
        await Queue.EnqueueAsync(Change("web"));
        var taken = Assert.Single(await Queue.ReceiveAsync(1, Long));
        await Queue.CompleteAsync(taken);

        await Queue.MoveToPoisonAsync(taken);

        Assert.Empty(await PoisonedAsync());
    }

    [Fact]
    public async Task MoveToPoison_WithAnOldReceipt_LeavesTheChangeToTheReaderThatHoldsItNow()
    {
        await Queue.EnqueueAsync(Change("web"));
        var first = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));
        var again = await ReceiveOneAsync(Long);

        await Queue.MoveToPoisonAsync(first);

        Assert.Empty(await PoisonedAsync());
        await Queue.MoveToPoisonAsync(again);
        Assert.Equal([again.Change], await PoisonedAsync());
        Assert.Empty(await Queue.ReceiveAsync(32, Long));
    }

    private static ObjectChange Change(string name) => new("pods", "default", name, $"uid-{name}", ObjectChangeType.Added, "7");

    /// <summary>Waits for one change to become visible again, failing the test if none does within the limit.</summary>
    private async Task<QueuedChange> ReceiveOneAsync(TimeSpan visibilityTimeout)
    {
        var waited = TimeSpan.Zero;
        while (waited < WaitLimit)
        {
            await PassTimeAsync(TimeSpan.FromMilliseconds(250));
            waited += TimeSpan.FromMilliseconds(250);
            if ((await Queue.ReceiveAsync(1, visibilityTimeout)).SingleOrDefault() is { } change)
            {
                return change;
            }
        }

        Assert.Fail($"No change came back within {WaitLimit}.");
        return null!;
    }
}
