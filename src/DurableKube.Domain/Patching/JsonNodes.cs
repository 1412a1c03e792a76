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
    public static bool Equal(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

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
}
