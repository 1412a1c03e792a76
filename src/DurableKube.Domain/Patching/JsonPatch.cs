using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>
/// Applies a JSON patch (RFC 6902, <c>application/json-patch+json</c>, what <c>kubectl patch --type json</c> sends):
/// a list of <c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> and <c>test</c> operations on
/// JSON pointers (RFC 6901, with <c>-</c> for the end of an array and <c>~0</c>/<c>~1</c> escapes). The patch is
/// applied atomically: when an operation fails nothing changes.
/// </summary>
/// <remarks>
/// Written over <see cref="JsonNode"/> rather than with Microsoft.AspNetCore.JsonPatch.SystemTextJson: that library
/// applies to a <see cref="JsonNode"/>, but tried on the RFC 6902 cases it ignores an unknown <c>op</c>, takes a
/// missing <c>value</c> as <c>null</c>, refuses to <c>test</c> for <c>null</c>, cannot address the whole document
/// (<c>""</c>) or an empty member name (<c>"/"</c>), accepts <c>-</c> and leading zeros as indexes outside <c>add</c>,
/// and leaves the document half-patched when an operation fails.
/// </remarks>
public static class JsonPatch
{
    /// <summary>The Content-Type of a JSON patch.</summary>
    public const string ContentType = "application/json-patch+json";

    /// <summary>Applies a JSON patch given as JSON text.</summary>
    /// <param name="document">The document to patch; not modified.</param>
    /// <param name="patch">The patch: a JSON array of operations.</param>
    /// <returns>The patched document, a new tree.</returns>
    /// <exception cref="PatchException">The patch is malformed (400) or an operation fails (422).</exception>
    public static JsonNode? Apply(JsonNode? document, string patch) => Apply(document, JsonNodes.Parse(patch, "patch"));

    /// <summary>Applies a JSON patch.</summary>
    /// <param name="document">The document to patch; not modified.</param>
    /// <param name="patch">The patch: a JSON array of operations; not modified.</param>
    /// <returns>The patched document, a new tree.</returns>
    /// <exception cref="PatchException">The patch is malformed (400) or an operation fails (422).</exception>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations || operations.Any(operation => operation is not JsonObject))
        {
            throw PatchException.BadRequest("invalid JSON patch: it must be a JSON array of operation objects");
        }

        var result = document?.DeepClone();
        foreach (var operation in operations)
        {
            result = ApplyOperation(result, operation!.AsObject());
        }

        return result;
    }

    private static JsonNode? ApplyOperation(JsonNode? document, JsonObject operation)
    {
        var op = Member(operation, "op");
        var path = JsonPointer.Parse(Member(operation, "path"));
        switch (op)
        {
            case "add":
                return Add(document, path, Value(operation, op)?.DeepClone(), op);
            case "remove":
                return Remove(document, path, op, out _);
            case "replace":
                var replacement = Value(operation, op)?.DeepClone();
                document = Remove(document, path, op, out _);
                return Add(document, path, replacement, op);
            case "move":
                var from = JsonPointer.Parse(Member(operation, "from"));
                if (from.Text == path.Text)
                {
                    _ = Require(document, from, op);
                    return document;
                }

                if (from.IsProperPrefixOf(path))
                {
                    throw new PatchException($"move operation does not apply: \"{path}\" is inside \"{from}\"");
                }

                document = Remove(document, from, op, out var moved);
                return Add(document, path, moved, op);
            case "copy":
                var source = JsonPointer.Parse(Member(operation, "from"));
                return Add(document, path, Require(document, source, op)?.DeepClone(), op);
            case "test":
                var expected = Value(operation, op);
                var actual = Require(document, path, op);
                return JsonNodes.Equal(actual, expected)
                    ? document
                    : throw new PatchException($"testing value {path} failed: test failed: found {JsonNodes.Text(actual)}, expected {JsonNodes.Text(expected)}");
            default:
                throw new PatchException($"Unexpected kind: {op}");
        }
    }

    private static JsonNode? Add(JsonNode? document, JsonPointer path, JsonNode? value, string op)
    {
        if (path.IsRoot)
        {
            return value;
        }

        switch (path.Parent(document))
        {
            case JsonObject map:
                map[path.Last] = value;
                return document;
            case JsonArray list when path.Last == "-":
                list.Add(value);
                return document;
            case JsonArray list when JsonPointer.TryParseIndex(path.Last, list.Count, out var index):
                list.Insert(index, value);
                return document;
            case JsonArray:
                throw new PatchException($"{op} operation does not apply: \"{path}\": invalid or out of bounds array index \"{path.Last}\"");
            default:
                throw new PatchException($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }

    private static JsonNode? Remove(JsonNode? document, JsonPointer path, string op, out JsonNode? removed)
    {
        removed = Require(document, path, op);
        if (path.IsRoot)
        {
            return null;
        }

        switch (path.Parent(document))
        {
            case JsonObject map:
                map.Remove(path.Last);
                break;
            case JsonArray list:
                JsonPointer.TryParseIndex(path.Last, list.Count - 1, out var index);
                list.RemoveAt(index);
                break;
        }

        return document;
    }

    private static JsonNode? Require(JsonNode? document, JsonPointer path, string op) =>
        path.TryGet(document, out var value)
            ? value
            : throw new PatchException($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");

    private static string Member(JsonObject operation, string name) =>
        JsonNodes.AsString(operation[name]) ??
        throw new PatchException($"invalid JSON patch operation {JsonNodes.Text(operation)}: \"{name}\" must be a string");

    private static JsonNode? Value(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value
            : throw new PatchException($"invalid JSON patch operation {JsonNodes.Text(operation)}: \"{op}\" needs a \"value\"");
}
