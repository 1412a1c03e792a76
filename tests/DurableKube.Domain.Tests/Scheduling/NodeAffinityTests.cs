using DurableKube.Domain.Scheduling;
using k8s.Models;
using static DurableKube.Domain.Tests.Scheduling.SchedulingObjects;

namespace DurableKube.Domain.Tests.Scheduling;

public class NodeAffinityTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["zone"] = "a", ["disk"] = "ssd", ["cores"] = "8" };

    [Theory]
    [InlineData("zone", "In", "a,b", true)]
    [InlineData("zone", "In", "b,c", false)]
    [InlineData("rack", "In", "a", false)]
    [InlineData("zone", "In", "", false)]
    [InlineData("zone", "NotIn", "b", true)]
    [InlineData("zone", "NotIn", "a", false)]
    [InlineData("rack", "NotIn", "a", true)]
    [InlineData("disk", "Exists", "", true)]
    [InlineData("rack", "Exists", "", false)]
    [InlineData("disk", "Exists", "ssd", false)]
    [InlineData("rack", "DoesNotExist", "", true)]
    [InlineData("disk", "DoesNotExist", "", false)]
    [InlineData("cores", "Gt", "4", true)]
    [InlineData("cores", "Gt", "8", false)]
    [InlineData("cores", "Lt", "16", true)]
    [InlineData("cores", "Lt", "8", false)]
    [InlineData("cores", "Gt", "4,5", false)]
    [InlineData("zone", "Gt", "4", false)]
    [InlineData("rack", "Lt", "4", false)]
    [InlineData("cores", "Gt", "four", false)]
    [InlineData("zone", "Equals", "a", false)]
    public void A_label_requirement_holds_as_the_scheduler_reads_it(string key, string op, string values, bool holds)
    {
        var requirement = new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? [] : values.Split(',') };

        Assert.Equal(holds, NodeAffinity.LabelRequirementHolds(requirement, Labels));
    }

    [Theory]
    [InlineData("metadata.name", "In", "n1,n2", true)]
    [InlineData("metadata.name", "In", "n2", false)]
    [InlineData("metadata.name", "NotIn", "n2", true)]
    [InlineData("metadata.name", "NotIn", "n1", false)]
    [InlineData("metadata.name", "Exists", "", false)]
    [InlineData("metadata.uid", "In", "n1", false)]
    public void A_field_requirement_matches_the_node_name_only(string key, string op, string values, bool holds)
    {
        var requirement = new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values.Length == 0 ? [] : values.Split(',') };

        Assert.Equal(holds, NodeAffinity.FieldRequirementHolds(requirement, "n1"));
    }

    [Theory]
    // Terms are ORed; within a term, every expression and field must hold.
    [InlineData("zone In a", true)]
    [InlineData("zone In b", false)]
    [InlineData("zone In b|disk In ssd", true)]
    [InlineData("zone In a&disk In hdd", false)]
    [InlineData("zone In a&name In n1", true)]
    [InlineData("zone In a&name In n2", false)]
    // A term with no requirements matches nothing; no terms at all match nothing.
    [InlineData("", false)]
    [InlineData("none", false)]
    public void Required_terms_are_ORed_and_their_requirements_ANDed(string terms, bool matches)
    {
        var pod = Pod();
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = terms == "none" ? [] : terms.Split('|').Select(Term).ToList(),
                },
            },
        };

        Assert.Equal(matches, NodeAffinity.Matches(pod, Node("n1", labels: Labels)));
    }

    [Fact]
    public void The_node_selector_must_match_too()
    {
        var pod = Pod();
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "hdd" };

        var status = NodeAffinity.Filter(pod, Node("n1", labels: Labels));

        Assert.Equal(["node(s) didn't match Pod's node affinity/selector"], status!.Reasons);
        Assert.False(status.Resolvable);
    }

    private static V1NodeSelectorTerm Term(string text)
    {
        var term = new V1NodeSelectorTerm { MatchExpressions = [], MatchFields = [] };
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = part.Split(' ');
            var requirement = new V1NodeSelectorRequirement { Key = words[0], OperatorProperty = words[1], Values = words[2].Split(',') };
            if (words[0] == "name")
            {
                requirement.Key = "metadata.name";
                term.MatchFields.Add(requirement);
            }
            else
            {
                term.MatchExpressions.Add(requirement);
            }
        }

        return term;
    }
}
