using DurableKube.Domain.Kubelet;

namespace DurableKube.Domain.Tests.Kubelet;

public class VariableExpansionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["VAR_A"] = "A", ["VAR_B"] = "B", ["EMPTY"] = string.Empty };

    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("$(VAR_A)", "A")]
    [InlineData("___$(VAR_A)___", "___A___")]
    [InlineData("$(VAR_A)$(VAR_B)", "AB")]
    [InlineData("$(VAR_A)-$(VAR_B)", "A-B")]
    [InlineData("$(UNDEFINED)", "$(UNDEFINED)")]
    [InlineData("$(EMPTY)x", "x")]
    [InlineData("$$(VAR_A)", "$(VAR_A)")]          // escaped reference
    [InlineData("$$$(VAR_A)", "$A")]
    [InlineData("$$", "$")]
    [InlineData("$", "$")]
    [InlineData("x$", "x$")]
    [InlineData("$x", "$x")]
    [InlineData("$(VAR_A", "$(VAR_A")]             // unclosed
    [InlineData("$()", "$()")]
    [InlineData("${VAR_A}", "${VAR_A}")]           // shell syntax is the shell's business
    public void References_expand_as_Kubernetes_expands_them(string input, string expected)
    {
        Assert.Equal(expected, VariableExpansion.Expand(input, name => Vars.GetValueOrDefault(name)));
    }
}
