using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// The NodeAffinity filter: the node's labels must match every entry of the pod's <c>nodeSelector</c>, and
/// one of the terms of its <c>requiredDuringSchedulingIgnoredDuringExecution</c> node affinity, if any.
/// </summary>
/// <remarks>
/// A term matches when all its <c>matchExpressions</c> (on labels) and <c>matchFields</c> (on
/// <c>metadata.name</c>) do; a term with neither matches nothing, and so does a malformed one (e.g. <c>Gt</c>
/// with a value that is not an integer), as in component-helpers' <c>nodeaffinity</c>.
/// </remarks>
public static class NodeAffinity
{
    /// <summary>The scheduler's reason.</summary>
    public const string Reason = "node(s) didn't match Pod's node affinity/selector";

    /// <summary>The one field a node selector term may match on.</summary>
    public const string NameField = "metadata.name";

    /// <summary>Checks the node.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns><see langword="null"/> if the node matches, else why not.</returns>
    public static FilterStatus? Filter(V1Pod pod, V1Node node) =>
        Matches(pod, node) ? null : FilterStatus.Unresolvable(Reason);

    /// <summary>Whether the node matches the pod's node selector and required node affinity.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns><see langword="true"/> if it does.</returns>
    public static bool Matches(V1Pod pod, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        foreach (var (key, value) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return required is null || (required.NodeSelectorTerms ?? []).Any(term => TermMatches(term, node));
    }

    /// <summary>Whether a node selector term matches a node.</summary>
    /// <param name="term">The term.</param>
    /// <param name="node">The node.</param>
    /// <returns><see langword="true"/> if all its requirements hold and it has at least one.</returns>
    public static bool TermMatches(V1NodeSelectorTerm term, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentNullException.ThrowIfNull(node);
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        return expressions.All(e => LabelRequirementHolds(e, labels))
            && fields.All(f => FieldRequirementHolds(f, node.Metadata?.Name ?? string.Empty));
    }

    /// <summary>Whether a label requirement holds for a node's labels.</summary>
    /// <param name="requirement">The requirement.</param>
    /// <param name="labels">The node's labels.</param>
    /// <returns><see langword="true"/> if it holds; <see langword="false"/> if not or if it is malformed.</returns>
    public static bool LabelRequirementHolds(V1NodeSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(labels);
        var values = requirement.Values ?? [];
        var has = labels.TryGetValue(requirement.Key ?? string.Empty, out var actual);
        switch (requirement.OperatorProperty)
        {
            case "In":
                return values.Count > 0 && has && values.Contains(actual);
            case "NotIn":
                return values.Count > 0 && (!has || !values.Contains(actual));
            case "Exists":
                return values.Count == 0 && has;
            case "DoesNotExist":
                return values.Count == 0 && !has;
            case "Gt" or "Lt":
                if (values.Count != 1 || !has || !TryInteger(values[0], out var bound) || !TryInteger(actual!, out var number))
                {
                    return false;
                }

                return requirement.OperatorProperty == "Gt" ? number > bound : number < bound;
            default:
                return false;
        }
    }

    /// <summary>Whether a field requirement holds for a node; only <c>metadata.name</c> with <c>In</c> or <c>NotIn</c> is defined.</summary>
    /// <param name="requirement">The requirement.</param>
    /// <param name="nodeName">The node's name.</param>
    /// <returns><see langword="true"/> if it holds; <see langword="false"/> if not or if it is malformed.</returns>
    public static bool FieldRequirementHolds(V1NodeSelectorRequirement requirement, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var values = requirement.Values ?? [];
        if (requirement.Key != NameField || values.Count == 0)
        {
            return false;
        }

        return requirement.OperatorProperty switch
        {
            "In" => values.Contains(nodeName),
            "NotIn" => !values.Contains(nodeName),
            _ => false,
        };
    }

    private static bool TryInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
