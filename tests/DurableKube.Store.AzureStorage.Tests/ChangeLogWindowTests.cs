using DurableKube.Store.AzureStorage.Tables;
using k8s;

namespace DurableKube.Store.AzureStorage.Tests;

public sealed class ChangeLogWindowTests
{
    private static ChangeLogEntry Entry(long resourceVersion, string resource = "pods", string ns = "default", int bytes = 10) =>
        new(resourceVersion, resource, ns, WatchEventType.Modified, new byte[bytes]);

    private static string Versions(IEnumerable<ChangeLogEntry> entries) => string.Join(',', entries.Select(e => e.ResourceVersion));

    private static ChangeLogWindow WindowOf(long from, long through, params ChangeLogEntry[] entries)
    {
        var window = new ChangeLogWindow(budgetBytes: 1000);
        window.Reset(from);
        Assert.True(window.Append(from, through, entries));
        return window;
    }

    [Fact]
    public void Before_it_is_first_set_it_holds_nothing()
    {
        var window = new ChangeLogWindow(1000);

        Assert.Equal((-1, -1), (window.From, window.To));
        Assert.False(window.TryRead("pods", null, 0, 0, 10, out _));
        Assert.False(window.Append(-1, 5, []));
    }

    [Theory]
    [InlineData(10, 13, true, new long[] { 11, 12, 13 }, 13)]   // the whole window
    [InlineData(11, 12, true, new long[] { 12 }, 12)]           // inside it: only (position, head]
    [InlineData(13, 13, true, new long[] { }, 13)]              // caught up
    [InlineData(9, 13, false, new long[] { }, 0)]               // from before the window: the watch reads the log itself
    [InlineData(10, 14, false, new long[] { }, 0)]              // past its end: it must be extended first
    public void TryRead_serves_a_stretch_only_when_it_holds_all_of_it(long position, long head, bool served, long[] versions, long moveTo)
    {
        var window = WindowOf(10, 13, Entry(11), Entry(12), Entry(13));

        Assert.Equal(served, window.TryRead("pods", null, position, head, 10, out var read));
        if (served)
        {
            Assert.Equal(versions, read.Entries.Select(e => e.ResourceVersion));
            Assert.Equal((moveTo, false), (read.Position, read.More));
        }
    }

    [Fact]
    public void TryRead_hands_out_one_resource_and_namespace_and_moves_past_the_others()
    {
        var window = WindowOf(0, 6,
            Entry(1), Entry(2, ns: "other"), Entry(3, resource: "nodes", ns: ""), Entry(4), Entry(5, resource: "replicasets.apps"), Entry(6, ns: "other"));

        Assert.True(window.TryRead("pods", "default", 0, 6, 10, out var inDefault));
        Assert.True(window.TryRead("pods", null, 0, 6, 10, out var everywhere));
        Assert.True(window.TryRead("nodes", null, 0, 6, 10, out var nodes));

        Assert.Equal([1L, 4L], inDefault.Entries.Select(e => e.ResourceVersion));
        Assert.Equal([1L, 2L, 4L, 6L], everywhere.Entries.Select(e => e.ResourceVersion));
        Assert.Equal([3L], nodes.Entries.Select(e => e.ResourceVersion));
        Assert.All(new[] { inDefault, everywhere, nodes }, r => Assert.Equal(6, r.Position));
    }

    [Fact]
    public void TryRead_hands_out_at_most_max_and_says_there_is_more()
    {
        var window = WindowOf(0, 5, Entry(1), Entry(2), Entry(3), Entry(4), Entry(5));

        Assert.True(window.TryRead("pods", null, 0, 5, 2, out var first));
        Assert.True(window.TryRead("pods", null, first.Position, 5, 2, out var second));
        Assert.True(window.TryRead("pods", null, second.Position, 5, 2, out var last));

        Assert.Equal(("1,2", 2L, true), (Versions(first.Entries), first.Position, first.More));
        Assert.Equal(("3,4", 4L, true), (Versions(second.Entries), second.Position, second.More));
        Assert.Equal(("5", 5L, false), (Versions(last.Entries), last.Position, last.More));
    }

    [Fact]
    public void Append_extends_the_window_only_from_its_end_and_only_with_entries_in_order_within_the_stretch()
    {
        var window = WindowOf(0, 2, Entry(1), Entry(2));

        Assert.False(window.Append(1, 3, [Entry(3)]));                 // read from a stale end: another extension came first
        Assert.Throws<ArgumentException>(() => window.Append(2, 4, [Entry(4), Entry(3)]));
        Assert.Throws<ArgumentException>(() => window.Append(2, 4, [Entry(5)]));
        Assert.Equal(2, window.To);

        Assert.True(window.Append(2, 9, [Entry(4)]));                  // versions without an entry of any resource: none left out
        Assert.True(window.TryRead("pods", null, 2, 9, 10, out var read));
        Assert.Equal(("4", 9L), (Versions(read.Entries), read.Position));
    }

    [Fact]
    public void Past_its_byte_budget_it_lets_the_oldest_go_and_a_watch_from_before_them_is_refused()
    {
        var window = new ChangeLogWindow(budgetBytes: 250);
        window.Reset(0);

        Assert.True(window.Append(0, 2, [Entry(1, bytes: 100), Entry(2, bytes: 100)]));
        Assert.Equal((0L, 200L), (window.From, window.Bytes));
        Assert.True(window.Append(2, 4, [Entry(3, bytes: 100), Entry(4, bytes: 100)]));

        Assert.Equal((2L, 4L, 200L), (window.From, window.To, window.Bytes));
        Assert.False(window.TryRead("pods", null, 1, 4, 10, out _));
        Assert.True(window.TryRead("pods", null, 2, 4, 10, out var kept));
        Assert.Equal([3L, 4L], kept.Entries.Select(e => e.ResourceVersion));
    }

    [Fact]
    public void Reset_empties_it_and_starts_it_again_at_a_version()
    {
        var window = WindowOf(0, 3, Entry(1), Entry(2), Entry(3));

        window.Reset(7);

        Assert.Equal((7L, 7L, 0L), (window.From, window.To, window.Bytes));
        Assert.False(window.TryRead("pods", null, 3, 7, 10, out _));
        Assert.True(window.TryRead("pods", null, 7, 7, 10, out var empty));
        Assert.Empty(empty.Entries);
    }

    [Theory]
    [InlineData(0, 0, 4, "1,2,3,4")]     // nothing compacted past the window's start
    [InlineData(2, 2, 4, "3,4")]         // compaction through 2: a watch from before it is refused, as by the log
    [InlineData(4, 4, 4, "")]            // through the end
    [InlineData(6, 6, 6, "")]            // past the end (entries the window never read): it starts again there
    public void Forget_lets_go_of_what_compaction_removed(long through, long from, long to, string kept)
    {
        var window = WindowOf(0, 4, Entry(1), Entry(2), Entry(3), Entry(4));

        window.Forget(through);

        Assert.Equal((from, to), (window.From, window.To));
        Assert.True(window.TryRead("pods", null, from, to, 10, out var read));
        Assert.Equal(kept, Versions(read.Entries));
        Assert.Equal(kept.Length == 0 ? 0 : kept.Split(',').Length * 10, window.Bytes);
        Assert.Equal(through > 0, !window.TryRead("pods", null, 0, to, 10, out _));
    }
}
