using Azure;
using DurableKube.Store.AzureStorage.Tables;

namespace DurableKube.Store.AzureStorage.Tests;

public sealed class RowETagsTests
{
    [Theory]
    [InlineData(7, "W/\"7\"")]
    [InlineData(6, null)]
    [InlineData(8, null)]
    public void An_ETag_is_known_only_for_the_version_it_was_seen_with(long asked, string? expected)
    {
        var etags = new RowETags();
        etags.Remember("pods/default/a", 7, new ETag("W/\"7\""));

        Assert.Equal(expected, etags.Find("pods/default/a", asked)?.ToString());
    }

    [Fact]
    public void An_older_read_does_not_replace_a_later_version_and_a_removal_forgets_it()
    {
        var etags = new RowETags();
        etags.Remember("a", 9, new ETag("nine"));
        etags.Remember("a", 8, new ETag("eight"));
        etags.Remember("b", 3, default(ETag));

        Assert.Equal("nine", etags.Find("a", 9)?.ToString());
        Assert.Null(etags.Find("a", 8));
        Assert.Null(etags.Find("b", 3));
        etags.Forget("a");
        Assert.Null(etags.Find("a", 9));
    }

    [Fact]
    public void Past_its_capacity_it_starts_over_rather_than_grow()
    {
        var etags = new RowETags();
        for (var i = 0; i <= RowETags.Capacity; i++)
        {
            etags.Remember($"row-{i}", i, new ETag($"e{i}"));
        }

        Assert.Equal(1, etags.Count);
        Assert.Equal($"e{RowETags.Capacity}", etags.Find($"row-{RowETags.Capacity}", RowETags.Capacity)?.ToString());
    }
}
