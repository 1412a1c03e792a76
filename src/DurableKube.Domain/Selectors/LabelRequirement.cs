using System.Globalization;

namespace DurableKube.Domain.Selectors;

/// <summary>One requirement of a label selector.</summary>
/// <param name="Key">The label key.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Values">The values (none for Exists and DoesNotExist).</param>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether a set of labels meets the requirement.</summary>
    /// <param name="labels">The labels; <see langword="null"/> is no labels.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(IDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        value ??= string.Empty;
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => has && Values.Contains(value, StringComparer.Ordinal),
            LabelOperator.NotEquals or LabelOperator.NotIn => !has || !Values.Contains(value, StringComparer.Ordinal),
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.GreaterThan => has && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var gt) && gt > long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => has && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var lt) && lt < long.Parse(Values[0], CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Operator switch
    {
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.Equals => Key + "=" + Values[0],
        LabelOperator.NotEquals => Key + "!=" + Values[0],
        LabelOperator.In => Key + " in (" + string.Join(",", Values) + ")",
        LabelOperator.NotIn => Key + " notin (" + string.Join(",", Values) + ")",
        LabelOperator.GreaterThan => Key + ">" + Values[0],
        _ => Key + "<" + Values[0],
    };
}
