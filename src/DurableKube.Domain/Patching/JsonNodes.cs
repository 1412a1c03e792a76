using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>Small helpers over <see cref="JsonNode"/>: kind, equality, parsing, compact text.</summary>
internal static class JsonNodes
{
    private static readonly JsonSerializerOptions _compact = new() { WriteIndented = false };

    /// <summary>Gets the JSON kind of a node, <see cref="JsonValueKind.Null"/> for <see langword="null"/> and
    /// <see cref="JsonValueKind.True"/> for either boolean.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The kind.</returns>
    public static JsonValueKind KindOf(JsonNode? node)
    {
        var kind = node?.GetValueKind() ?? JsonValueKind.Null;
        return kind == JsonValueKind.False ? JsonValueKind.True : kind;
    }

    /// <summary>Names a node's kind for messages: object, array, string, number, boolean, null.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The name.</returns>
    public static string KindName(JsonNode? node) => KindOf(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True => "boolean",
        _ => "null",
    };

    /// <summary>Compares two JSON values: objects by their members whatever their order, arrays element by
    /// element, numbers by value (<c>1</c> equals <c>1.0</c>), strings ordinally.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        var kind = KindOf(left);
        if (kind != KindOf(right))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                var leftObject = left!.AsObject();
                var rightObject = right!.AsObject();
                return leftObject.Count == rightObject.Count && leftObject.All(pair =>
                    rightObject.TryGetPropertyValue(pair.Key, out var other) && Equal(pair.Value, other));
            case JsonValueKind.Array:
                var leftArray = left!.AsArray();
                var rightArray = right!.AsArray();
                return leftArray.Count == rightArray.Count && leftArray.Zip(rightArray).All(pair => Equal(pair.First, pair.Second));
            case JsonValueKind.Number:
                return NumbersEqual(left!.AsValue(), right!.AsValue());
            case JsonValueKind.String:
                return string.Equals(left!.GetValue<string>(), right!.GetValue<string>(), StringComparison.Ordinal);
            default:
                return left!.GetValueKind() == right!.GetValueKind();
        }
    }

    /// <summary>Parses JSON text, turning a syntax error into a 400 <see cref="PatchException"/>.</summary>
    /// <param name="json">The text.</param>
    /// <param name="what">What the text is, for the message (e.g. <c>patch</c>).</param>
    /// <returns>The node, <see langword="null"/> for JSON <c>null</c>.</returns>
    public static JsonNode? Parse(string json, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 1000 });
        }
        catch (JsonException e)
        {
            throw PatchException.BadRequest($"invalid JSON in {what}: {e.Message}", e);
        }
    }

    /// <summary>Writes a node as compact JSON for messages.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The text.</returns>
    public static string Text(JsonNode? node) => node?.ToJsonString(_compact) ?? "null";

    /// <summary>Reads a node as a string when it is one.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The string, or <see langword="null"/>.</returns>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool NumbersEqual(JsonValue left, JsonValue right)
    {
        var leftText = left.ToJsonString();
        var rightText = right.ToJsonString();
        if (leftText == rightText)
        {
            return true;
        }

        const NumberStyles style = NumberStyles.Float;
        if (decimal.TryParse(leftText, style, CultureInfo.InvariantCulture, out var leftDecimal) &&
            decimal.TryParse(rightText, style, CultureInfo.InvariantCulture, out var rightDecimal))
        {
            return leftDecimal == rightDecimal;
        }

        return double.TryParse(leftText, style, CultureInfo.InvariantCulture, out var leftDouble) &&
            double.TryParse(rightText, style, CultureInfo.InvariantCulture, out var rightDouble) &&
            leftDouble.Equals(rightDouble);
    }
}
