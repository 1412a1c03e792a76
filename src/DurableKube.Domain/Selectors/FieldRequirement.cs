namespace DurableKube.Domain.Selectors;

/// <summary>One term of a field selector: <c>field=value</c> or <c>field!=value</c>.</summary>
/// <param name="Field">The field path, e.g. <c>spec.nodeName</c>.</param>
/// <param name="Value">The value, unescaped.</param>
/// <param name="Negated">Whether the term is <c>!=</c>.</param>
public sealed record FieldRequirement(string Field, string Value, bool Negated)
{
    /// <summary>Whether a field value meets the term; a missing field counts as empty.</summary>
    /// <param name="value">The object's value of the field.</param>
    /// <returns>Whether it matches.</returns>
    public bool Matches(string? value) => string.Equals(value ?? string.Empty, Value, StringComparison.Ordinal) != Negated;

    /// <inheritdoc />
    public override string ToString() => Field + (Negated ? "!=" : "=") + FieldSelector.EscapeValue(Value);
}
