using System.Text.RegularExpressions;

namespace DurableKube.Runtime.Aci.Tests;

public sealed partial class GroupNamesTests
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex AciName();

    [Theory]
    [InlineData("default", "web-7c9f", "dk-default-web-7c9f-")]
    [InlineData("Team.A", "My_Pod", "dk-team-a-my-pod-")]
    [InlineData("--", "--", "dk-")]
    public void A_name_is_readable_and_ends_with_the_uids_hash(string ns, string name, string start)
    {
        var group = GroupNames.For(ns, name, "3fa85f64-5717-4562-b3fc-2c963f66afa6");

        Assert.StartsWith(start, group, StringComparison.Ordinal);
        Assert.Matches(AciName(), group);
    }

    [Fact]
    public void A_long_namespace_and_name_are_cut_to_63_characters_without_a_dash_at_the_cut()
    {
        var group = GroupNames.For(new string('n', 63), "x-" + new string('p', 250), "uid");

        Assert.True(group.Length <= 63, group);
        Assert.Matches(AciName(), group);
        Assert.DoesNotContain("--", group, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_pod_always_gets_the_same_name_and_another_uid_another()
    {
        Assert.Equal(GroupNames.For("a", "b", "u1"), GroupNames.For("a", "b", "u1"));
        Assert.NotEqual(GroupNames.For("a", "b", "u1"), GroupNames.For("a", "b", "u2"));
    }
}
