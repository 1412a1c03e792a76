using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public class NodeAffinityValidationTests
{
    private const string Term = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]";

    private static List<string> Errors(V1NodeAffinity nodeAffinity)
    {
        var errors = new List<FieldError>();
        NodeAffinityValidation.Validate(new V1Affinity { NodeAffinity = nodeAffinity }, "spec.affinity", errors);
        return errors.Select(e => e.ToString()).ToList();
    }

    private static V1NodeAffinity Required(params V1NodeSelectorTerm[] terms) => new()
    {
        RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = terms },
    };

    private static V1NodeSelectorTerm Expression(string key, string op, params string[] values) => new()
    {
        MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values }],
    };

    private static V1NodeSelectorTerm Field(string key, string op, params string[] values) => new()
    {
        MatchFields = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values }],
    };

    [Theory]
    [InlineData("In", "", Term + ".matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    [InlineData("NotIn", "", Term + ".matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    [InlineData("Exists", "a", Term + ".matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
    [InlineData("Gt", "1,2", Term + ".matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'")]
    [InlineData("Equals", "a", Term + ".matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator")]
    [InlineData("In", "a", null)]
    [InlineData("DoesNotExist", "", null)]
    [InlineData("Lt", "3", null)]
    public void A_label_requirement_is_checked_as_the_API_server_checks_it(string op, string values, string? error)
    {
        var errors = Errors(Required(Expression("disk", op, values.Length == 0 ? [] : values.Split(','))));

        Assert.Equal(error is null ? new List<string>() : new List<string> { error }, errors);
    }

    [Fact]
    public void Terms_are_required_and_field_requirements_name_the_node_with_one_value()
    {
        Assert.Equal(
            ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"],
            Errors(Required()));
        Assert.Equal(
            [
                Term + ".matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                Term + ".matchFields[0].key: Invalid value: \"metadata.uid\": not a valid field selector key",
            ],
            Errors(Required(Field("metadata.uid", "In", "a", "b"))));
        Assert.Empty(Errors(Required(Field("metadata.name", "NotIn", "node-1"))));
    }

    [Fact]
    public void A_preferred_term_needs_a_weight_from_1_to_100()
    {
        var errors = Errors(new V1NodeAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution = [new V1PreferredSchedulingTerm { Weight = 0, Preference = Expression("disk", "In", "ssd") }],
        });

        Assert.Equal(["spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"], errors);
    }
}
