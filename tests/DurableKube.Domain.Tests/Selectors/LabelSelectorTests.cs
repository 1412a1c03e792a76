using DurableKube.Domain.Selectors;
using k8s.Models;

namespace DurableKube.Domain.Tests.Selectors;

public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["version"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db)", true)]
    [InlineData("missing notin (db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData(" app = web , !missing ", true)]
    [InlineData("version>2", true)]
    [InlineData("version<2", false)]
    [InlineData("app=", false)]
    public void Parse_and_match(string selector, bool matches)
    {
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Web));
    }

    [Theory]
    [InlineData("app=web,", "unable to parse requirement: found '', expected: identifier after ','")]
    [InlineData("=web", "unable to parse requirement: found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("app in web", "unable to parse requirement: found 'web', expected: '('")]
    [InlineData("app web", "unable to parse requirement: found 'web', expected: [!= = == in notin gt lt]")]
    [InlineData("app=a b", "unable to parse requirement: found 'b', expected: ',' or 'end of string'")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier after '!'")]
    public void Parse_refuses_malformed_selectors(string selector, string message)
    {
        var error = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(selector));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_refuses_invalid_keys_and_values()
    {
        Assert.StartsWith("key: Invalid value: \"bad$key\": name part must consist of", Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("bad$key=x")).Message, StringComparison.Ordinal);
        Assert.StartsWith("values[0][app]: Invalid value: \"-x\"", Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("app=-x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_a_label_selector_uses_match_labels_and_expressions()
    {
        var selector = LabelSelector.FromLabelSelector(new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front", "edge"] },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
            ],
        });

        Assert.True(selector.Matches(Web));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" }));
    }

    [Fact]
    public void A_null_selector_matches_nothing_and_an_empty_one_everything()
    {
        Assert.False(LabelSelector.FromLabelSelector(null).Matches(Web));
        Assert.True(LabelSelector.FromLabelSelector(new V1LabelSelector()).Matches(Web));
    }

    [Theory]
    [InlineData("Sometimes", null)]
    [InlineData("In", null)]
    [InlineData("Exists", "x")]
    public void From_a_label_selector_refuses_bad_expressions(string op, string? value)
    {
        var requirement = new V1LabelSelectorRequirement { Key = "a", OperatorProperty = op, Values = value is null ? [] : [value] };

        Assert.Throws<SelectorParseException>(() => LabelSelector.FromLabelSelector(new V1LabelSelector { MatchExpressions = [requirement] }));
    }

    [Fact]
    public void ToString_renders_the_text_form()
    {
        Assert.Equal("app=web,tier in (a,b)", LabelSelector.Parse("tier in (b,a),app=web").ToString());
    }
}
