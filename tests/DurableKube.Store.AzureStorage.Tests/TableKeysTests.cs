using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>Row keys: their order, their ranges, and escaping.</summary>
public sealed class TableKeysTests
{
    private static readonly string[] Names = ["a", "a-b", "a.b", "a0", "ab", "b", "default", "kube-system", "x-1.y", "z"];

    [Fact]
    public void ObjectRows_SortByNamespaceThenName()
    {
        var keys = (from ns in Names from name in Names select (ns, name)).ToList();
        var expected = keys.OrderBy(k => k.ns, StringComparer.Ordinal).ThenBy(k => k.name, StringComparer.Ordinal).ToList();

        var byRowKey = keys.OrderBy(k => TableKeys.ObjectRow(new ObjectKey(ResourceTypes.Pods, k.ns, k.name)), StringComparer.Ordinal).ToList();

        Assert.Equal(expected, byRowKey);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("a")]
    [InlineData(null)]
    public void ListRange_HoldsExactlyTheRowsOfTheList(string? ns)
    {
        var prefix = TableKeys.ListPrefix(ResourceTypes.Pods, ns);
        var upper = TableKeys.UpperBound(prefix);
        var rows = from n in Names from name in Names select (n, name, key: TableKeys.ObjectRow(new ObjectKey(ResourceTypes.Pods, n, name)));

        foreach (var (n, _, key) in rows)
        {
            var inRange = string.CompareOrdinal(key, prefix) > 0 && string.CompareOrdinal(key, upper) < 0;
            Assert.Equal(ns is null || ns == n, inRange);
        }

        var node = TableKeys.ObjectRow(new ObjectKey(ResourceTypes.Nodes, null, "a"));
        Assert.False(string.CompareOrdinal(node, prefix) > 0 && string.CompareOrdinal(node, upper) < 0);
    }

    [Theory]
    [InlineData("a!b", "a%0021b")]
    [InlineData("sys/admin", "sys%002Fadmin")]
    [InlineData("50%", "50%0025")]
    [InlineData("system:controller:x_y~z", "system:controller:x_y~z")]
    [InlineData("ü#?\\\t", "%00FC%0023%003F%005C%0009")]
    public void Escape_KeepsOnlyCharactersThatSortAboveTheSeparator_AndRowKeysAllow(string raw, string escaped)
    {
        var result = TableKeys.Escape(raw);

        Assert.Equal(escaped, result);
        Assert.All(result, c => Assert.True(c > '!' && c < 0x7F && c is not ('/' or '\\' or '#' or '?'), $"'{c}' in {result}"));
    }

    [Fact]
    public void DistinctNames_GiveDistinctKeys()
    {
        string[] tricky = ["a!b", "a%0021b", "a", "a!", "%", "%0025"];

        var keys = tricky.Select(n => TableKeys.ObjectRow(new ObjectKey(ResourceTypes.Pods, "ns", n))).ToList();

        Assert.Equal(tricky.Length, keys.Distinct().Count());
    }

    [Fact]
    public void LogRows_SortNumerically_AndGiveTheirVersionBack()
    {
        long[] versions = [1, 9, 10, 99, 100, 123456789, long.MaxValue];

        var keys = versions.Select(TableKeys.LogRow).ToList();

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(versions, keys.Select(TableKeys.ResourceVersionOfLogRow));
        Assert.All(keys, k => Assert.True(string.CompareOrdinal(k, TableKeys.LogPrefix) > 0 && string.CompareOrdinal(k, TableKeys.UpperBound(TableKeys.LogPrefix)) < 0));
    }
}
