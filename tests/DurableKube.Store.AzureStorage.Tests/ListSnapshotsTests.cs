using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

public sealed class ListSnapshotsTests
{
    private static byte[][] Objects(params int[] sizes) => [.. sizes.Select(size => new byte[size])];

    [Fact]
    public void A_list_is_kept_by_resource_and_namespace_and_replaced_by_its_next_read()
    {
        var lists = new ListSnapshots(1000);
        lists.Put("pods", "default", 5, Objects(10, 20));
        lists.Put("pods", null, 6, Objects(10));
        lists.Put("pods", "default", 7, Objects(30));

        Assert.Equal(7, lists.Get("pods", "default")?.ResourceVersion);
        Assert.Equal([30], lists.Get("pods", "default")!.Value.Objects.Select(o => o.Length));
        Assert.Equal(6, lists.Get("pods", null)?.ResourceVersion);
        Assert.Null(lists.Get("pods", "other"));
        Assert.Null(lists.Get("services", "default"));
        Assert.Equal(40, lists.Bytes);
    }

    [Theory]
    [InlineData(5, 9, 9)]   // found unchanged through 9: it holds as of 9
    [InlineData(4, 9, 5)]   // found at another version (replaced meanwhile): left alone
    [InlineData(5, 5, 5)]   // nothing to move
    public void Advance_moves_the_snapshot_found_unchanged(long from, long to, long after)
    {
        var lists = new ListSnapshots(1000);
        lists.Put("pods", "default", 5, Objects(10));

        lists.Advance("pods", "default", from, to);

        Assert.Equal(after, lists.Get("pods", "default")?.ResourceVersion);
    }

    [Fact]
    public void Past_the_budget_the_least_recently_used_go_first()
    {
        var lists = new ListSnapshots(400);
        lists.Put("a", null, 1, Objects(100));
        lists.Put("b", null, 1, Objects(100));
        lists.Put("c", null, 1, Objects(100));
        Assert.NotNull(lists.Get("a", null));      // a is now used more recently than b

        lists.Put("d", null, 1, Objects(100));
        lists.Put("e", null, 1, Objects(100));

        Assert.Null(lists.Get("b", null));
        Assert.NotNull(lists.Get("a", null));
        Assert.Equal(400, lists.Bytes);
    }

    [Fact]
    public void A_list_larger_than_a_quarter_of_the_budget_is_not_kept_and_its_older_snapshot_goes()
    {
        var lists = new ListSnapshots(400);
        lists.Put("pods", null, 1, Objects(50));

        lists.Put("pods", null, 2, Objects(60, 50));

        Assert.Null(lists.Get("pods", null));
        Assert.Equal(0, lists.Bytes);
    }
}
