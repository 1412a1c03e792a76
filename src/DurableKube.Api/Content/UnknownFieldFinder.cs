using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;

namespace DurableKube.Api.Content;

/// <summary>
/// Finds the fields of a JSON document that the model type does not have, with their paths
/// (<c>spec.containers[0].foo</c>), as the API server's strict decoder reports them.
/// </summary>
internal static class UnknownFieldFinder
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>?> Members = new();

    public static IReadOnlyList<string> Find(JsonNode? node, Type type)
    {
        var unknown = new List<string>();
        Walk(node, type, string.Empty, unknown);
        return unknown;
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> unknown)
    {
        if (node is null)
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        var info = KubeJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when node is JsonObject obj:
                var members = MembersOf(info);
                foreach (var (name, value) in obj)
                {
                    if (members.TryGetValue(name, out var memberType))
                    {
                        Walk(value, memberType, path.Child(name), unknown);
                    }
                    else
                    {
                        unknown.Add(path.Child(name));
                    }
                }

                break;
            case JsonTypeInfoKind.Enumerable when node is JsonArray array && info.ElementType is { } element:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], element, path.Index(i), unknown);
                }

                break;
            case JsonTypeInfoKind.Dictionary when node is JsonObject map && info.ElementType is { } valueType:
                foreach (var (key, value) in map)
                {
                    Walk(value, valueType, path.Child(key), unknown);
                }

                break;
        }
    }

    private static IReadOnlyDictionary<string, Type> MembersOf(JsonTypeInfo info) =>
        Members.GetOrAdd(info.Type, _ => info.Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal))!;
}
