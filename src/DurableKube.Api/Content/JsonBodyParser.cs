using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Domain.Validation;

namespace DurableKube.Api.Content;

/// <summary>Parses JSON bodies into nodes, keeping note of repeated fields as the API server's strict decoder does.</summary>
internal static class JsonBodyParser
{
    /// <summary>How deeply a body may nest when no limit is given (<see cref="KubernetesApiOptions.MaxNestingDepth"/>'s default).</summary>
    public const int DefaultMaxDepth = 128;

    /// <summary>Parses a JSON body; deeper nesting than <paramref name="maxDepth"/>, like any syntax error, is a <see cref="BodyFormatException"/>.</summary>
    public static ParsedBody Parse(ReadOnlyMemory<byte> body, int maxDepth = DefaultMaxDepth)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = true });
            var duplicates = new List<string>();
            return new ParsedBody(Convert(document.RootElement, string.Empty, duplicates), duplicates);
        }
        catch (JsonException e)
        {
            throw new BodyFormatException(Describe(e), e);
        }
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut].TrimEnd(' ', '|', '.');
        }

        return e.LineNumber is { } line
            ? $"{message} (line {line + 1}, byte {e.BytePositionInLine + 1})"
            : message;
    }

    private static JsonNode? Convert(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Child(property.Name);
                    if (obj.ContainsKey(property.Name))
                    {
                        duplicates.Add(at);
                        obj.Remove(property.Name);
                    }

                    obj[property.Name] = Convert(property.Value, at, duplicates);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, path.Index(i++), duplicates));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }
}
