using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;

namespace DurableKube.Domain.Validation;

/// <summary>Small field checks many kinds share (apimachinery's <c>ValidateNonnegativeField</c>, <c>ValidateImmutableField</c>).</summary>
public static class FieldRules
{
    /// <summary>The message of a negative number where none may be.</summary>
    public const string NegativeMessage = "must be greater than or equal to 0";

    /// <summary>The message of a change to a field that may not change.</summary>
    public const string ImmutableMessage = "field is immutable";

    /// <summary>Refuses a negative value.</summary>
    /// <param name="value">The value, if set.</param>
    /// <param name="path">The field path.</param>
    /// <returns>The error, if any.</returns>
    public static IEnumerable<FieldError> NonNegative(long? value, string path)
    {
        if (value is < 0)
        {
            yield return FieldError.Invalid(path, value, NegativeMessage);
        }
    }

    /// <summary>Refuses a change to a field that may not change.</summary>
    /// <param name="value">The new value.</param>
    /// <param name="old">The stored value.</param>
    /// <param name="path">The field path.</param>
    /// <returns>The error, if the value changed.</returns>
    public static IEnumerable<FieldError> Immutable(object? value, object? old, string path)
    {
        if (!JsonNode.DeepEquals(KubeJson.ToNode(value), KubeJson.ToNode(old)))
        {
            yield return FieldError.Invalid(path, value, ImmutableMessage);
        }
    }
}
