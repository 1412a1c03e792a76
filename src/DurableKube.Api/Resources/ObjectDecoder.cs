using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Resources;

/// <summary>
/// Turns a parsed request body into a typed object the way the API server's decoder does: missing
/// apiVersion/kind are taken from the URL, a mismatch is refused, unknown and duplicate fields are
/// handled per <c>fieldValidation</c>, and the scheme defaults are applied.
/// </summary>
internal static class ObjectDecoder
{
    private const string Scheme = "pkg/api/legacyscheme/scheme.go:30";

    public static IKubernetesObject<V1ObjectMeta> Decode(HttpContext context, KindRegistry kinds, ResourceType type, ParsedBody body, FieldValidation validation, string? rawSummary = null)
    {
        var obj = ToObjectNode(type, body.Node, rawSummary);
        CheckTypeMeta(kinds, type, obj);
        CheckFields(context, type, obj, body.DuplicateFields, validation);
        return Materialize(type, obj);
    }

    /// <summary>Checks a JSON object is shaped as the type wants (for patch results), and decodes it.</summary>
    public static IKubernetesObject<V1ObjectMeta> DecodeNode(HttpContext context, KindRegistry kinds, ResourceType type, JsonNode? node, FieldValidation validation)
    {
        var obj = ToObjectNode(type, node, null);
        CheckTypeMeta(kinds, type, obj);
        CheckFields(context, type, obj, [], validation);
        return Materialize(type, obj);
    }

    public static JsonObject ToObjectNode(ResourceType type, JsonNode? node, string? rawSummary)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var field in (string[])["apiVersion", "kind"])
                {
                    if (obj[field] is { } value && value.GetValueKind() != JsonValueKind.String)
                    {
                        throw Unrecognized(type, $"couldn't get version/kind; json parse error: json: cannot unmarshal {GoKind(value)} into Go struct field .{field} of type string", rawSummary);
                    }
                }

                return obj;
            case null:
                throw Unrecognized(type, "couldn't get version/kind; json parse error: unexpected end of JSON input", rawSummary ?? "<empty>");
            default:
                throw Unrecognized(type, $"couldn't get version/kind; json parse error: json: cannot unmarshal {GoKind(node)} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}", rawSummary);
        }
    }

    public static ApiException Unrecognized(ResourceType type, string error, string? summary) =>
        StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {type.Kind}): {error} ({summary ?? string.Empty})");

    public static string Summarize(byte[] body)
    {
        if (body.Length == 0)
        {
            return "<empty>";
        }

        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 30));
        return body.Length > 30 ? text + " ..." : text;
    }

    private static void CheckTypeMeta(KindRegistry kinds, ResourceType type, JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (string.IsNullOrEmpty(apiVersion))
        {
            apiVersion = type.ApiVersion;
        }

        if (string.IsNullOrEmpty(kind))
        {
            kind = type.Kind;
        }

        var version = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : apiVersion;
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        if (kind != type.Kind)
        {
            var served = kinds.FindByKind(apiVersion, kind);
            throw StatusErrors.BadRequest(served is null
                ? $"{kind} in version \"{version}\" cannot be handled as a {type.Kind}: no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"{Scheme}\""
                : $"{kind} in version \"{version}\" cannot be handled as a {type.Kind}: converting ({apiVersion}.{kind}) to ({type.Kind}): unknown conversion");
        }

        if (apiVersion != type.ApiVersion)
        {
            throw StatusErrors.BadRequest(group == type.Group
                ? $"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion})"
                : $"{kind} in version \"{version}\" cannot be handled as a {type.Kind}: no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"{Scheme}\"");
        }

        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
    }

    private static void CheckFields(HttpContext context, ResourceType type, JsonObject obj, IReadOnlyList<string> duplicates, FieldValidation validation)
    {
        if (validation == FieldValidation.Ignore)
        {
            return;
        }

        var problems = duplicates.Select(d => $"duplicate field \"{d}\"")
            .Concat(UnknownFieldFinder.Find(obj, type.ObjectType).Select(u => $"unknown field \"{u}\""))
            .ToList();
        if (problems.Count == 0)
        {
            return;
        }

        if (validation == FieldValidation.Strict)
        {
            throw StatusErrors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", problems)}");
        }

        foreach (var problem in problems)
        {
            ResponseWriter.AddWarning(context, problem);
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Materialize(ResourceType type, JsonObject obj)
    {
        IKubernetesObject<V1ObjectMeta>? result;
        try
        {
            result = (IKubernetesObject<V1ObjectMeta>?)KubeJson.Deserialize(obj, type.ObjectType);
        }
        catch (JsonException e)
        {
            throw StatusErrors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {DescribeJsonError(type, obj, e)}");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException or ArgumentException or NotSupportedException)
        {
            throw StatusErrors.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: {e.Message}");
        }

        result!.Metadata ??= new V1ObjectMeta();
        return result;
    }

    private static string DescribeJsonError(ResourceType type, JsonObject obj, JsonException e)
    {
        var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
        var (node, target) = Locate(obj, type.ObjectType, path);
        return node is null
            ? "json: " + e.Message.Split(" Path:")[0]
            : $"json: cannot unmarshal {GoKind(node)} into Go struct field {type.Kind}.{path} of type {GoType(target)}";
    }

    private static (JsonNode? Node, Type? Type) Locate(JsonObject obj, Type type, string path)
    {
        JsonNode? node = obj;
        Type? current = type;
        foreach (var segment in path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var info = current is null ? null : KubeJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(current) ?? current);
            if (segment.StartsWith('[') && node is JsonArray array && int.TryParse(segment.Trim('[', ']'), out var index) && index < array.Count)
            {
                node = array[index];
                current = info?.ElementType;
            }
            else if (node is JsonObject o && o.TryGetPropertyValue(segment.Trim('[', ']', '\''), out var child))
            {
                node = child;
                current = info?.Kind == JsonTypeInfoKind.Dictionary
                    ? info.ElementType
                    : info?.Properties.FirstOrDefault(p => p.Name == segment)?.PropertyType;
            }
            else
            {
                return (null, null);
            }
        }

        return (node, current);
    }

    private static string GoKind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static string GoType(Type? type)
    {
        if (type is null)
        {
            return "unknown";
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(bool))
        {
            return "bool";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            return type == typeof(int) ? "int32" : type == typeof(long) ? "int64" : "float64";
        }

        var info = KubeJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "[]" + GoType(info.ElementType),
            JsonTypeInfoKind.Dictionary => "map[string]" + GoType(info.ElementType),
            _ when type.Name.StartsWith('V') && type.Name.Length > 2 && char.IsDigit(type.Name[1]) => GoModelName(type.Name),
            _ => type.Name,
        };
    }

    private static string GoModelName(string name)
    {
        var i = 1;
        while (i < name.Length && (char.IsDigit(name[i]) || char.IsLower(name[i])))
        {
            i++;
        }

        return char.ToLowerInvariant(name[0]) + name[1..i] + "." + name[i..];
    }
}
