using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

public sealed class SharedReadTests
{
    private sealed class CountingRead
    {
        public int Calls;
        public TaskCompletionSource<int> Pending = new();

        public Task<int> ReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Pending.Task;
        }
    }

    [Fact]
    public async Task Callers_whose_ticket_came_before_a_read_share_it()
    {
        var source = new CountingRead();
        var shared = new SharedRead<int>(source.ReadAsync);
        var first = shared.Ticket();
        var second = shared.Ticket();
        var a = shared.ReadAsync(first, CancellationToken.None);
        var b = shared.ReadAsync(second, CancellationToken.None);
        source.Pending.SetResult(7);
        Assert.Equal((7, 7), (await a, await b));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task A_ticket_taken_after_a_read_began_gets_a_read_of_its_own()
    {
        var source = new CountingRead();
        var shared = new SharedRead<int>(source.ReadAsync);
        var early = shared.ReadAsync(shared.Ticket(), CancellationToken.None);
        var late = shared.Ticket();
        source.Pending.SetResult(1);
        await early;
        source.Pending = new TaskCompletionSource<int>();
        var own = shared.ReadAsync(late, CancellationToken.None);
        source.Pending.SetResult(2);
        Assert.Equal(2, await own);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task A_finished_read_still_serves_a_ticket_taken_before_it_began()
    {
        var source = new CountingRead();
        var shared = new SharedRead<int>(source.ReadAsync);
        var ticket = shared.Ticket();
        source.Pending.SetResult(3);
        Assert.Equal(3, await shared.ReadAsync(ticket, CancellationToken.None));
        Assert.Equal(3, await shared.ReadAsync(ticket, CancellationToken.None));
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task A_failed_read_is_not_shared_again()
    {
        var source = new CountingRead();
        var shared = new SharedRead<int>(source.ReadAsync);
        var ticket = shared.Ticket();
        source.Pending.SetException(new InvalidOperationException("down"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => shared.ReadAsync(ticket, CancellationToken.None));
        source.Pending = new TaskCompletionSource<int>();
        source.Pending.SetResult(4);
        Assert.Equal(4, await shared.ReadAsync(ticket, CancellationToken.None));
        Assert.Equal(2, source.Calls);
    }
}
