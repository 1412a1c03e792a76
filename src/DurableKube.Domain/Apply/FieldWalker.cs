using System.Text.Json.Nodes;
using DurableKube.Domain.Patching;
using k8s.Models;

namespace DurableKube.Domain.Apply;

/// <summary>
/// The structure server-side apply sees in an object: which JSON maps are structs or granular maps, which lists are
/// keyed (<c>listType=map</c>, by the strategic merge key), sets (<c>listType=set</c>, merged primitives) or atomic
/// (replaced whole), learnt from the KubernetesClient model and the strategic merge patch tags.
/// </summary>
internal static class FieldWalker
{
    /// <summary>Structs the API marks <c>structType=atomic</c>: owned and replaced whole.</summary>
    private static readonly HashSet<Type> AtomicStructs = [typeof(V1LabelSelector)];

    /// <summary>Fields the API server's field manager never tracks (system-set identity and bookkeeping).</summary>
    private static readonly HashSet<string> StrippedTop = new(StringComparer.Ordinal) { "apiVersion", "kind" };

    private static readonly HashSet<string> StrippedMeta = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink",
        "deletionTimestamp", "deletionGracePeriodSeconds",
    };

    /// <summary>How a JSON position is merged.</summary>
    internal enum Structure
    {
        /// <summary>A scalar, an atomic list or an atomic struct: owned and replaced whole.</summary>
        Atomic,

        /// <summary>A struct or a granular map: its fields are owned one by one.</summary>
        Map,

        /// <summary>A list keyed by merge keys.</summary>
        KeyedList,

        /// <summary>A list of primitives merged as a set.</summary>
        SetList,
    }

    /// <summary>A position in the schema: what the JSON there is, and its merge key when a keyed list.</summary>
    internal sealed record Position(ModelShape Shape, PatchFieldRule Rule)
    {
        /// <summary>Gets how a value of this position is merged, given the value.</summary>
        public Structure StructureOf(JsonNode? value) => value switch
        {
            JsonObject when Shape.Kind == ModelShapeKind.Object && Shape.ClrType is { } type && AtomicStructs.Contains(type) => Structure.Atomic,
            JsonObject when Shape.Kind is ModelShapeKind.Object or ModelShapeKind.Map or ModelShapeKind.Any && !Rule.Replaces => Structure.Map,
            JsonArray when Shape.Kind == ModelShapeKind.List && Rule.Merges && Rule.MergeKey is not null && Shape.Element!.Kind != ModelShapeKind.Scalar => Structure.KeyedList,
            JsonArray when Shape.Kind == ModelShapeKind.List && Rule.Merges && Rule.MergeKey is null => Structure.SetList,
            _ => Structure.Atomic,
        };

        /// <summary>The position of a field or map entry of a map value.</summary>
        public Position Child(string name)
        {
            if (Shape.Kind == ModelShapeKind.Object)
            {
                return Shape.Field(name) is { } field ? new Position(field.Shape, field.Rule) : new Position(ModelShape.Untyped, PatchFieldRule.None);
            }

            return new Position(Shape.Element ?? ModelShape.Untyped, PatchFieldRule.None);
        }

        /// <summary>The position of an element of a list value.</summary>
        public Position Item() => new(Shape.Element ?? ModelShape.Untyped, PatchFieldRule.None);
    }

    /// <summary>The root position of an object of a model type.</summary>
    public static Position Root(Type model) => new(ModelShape.Of(model), PatchFieldRule.None);

    /// <summary>The path element of a field or map entry.</summary>
    public static string FieldElement(string name) => "f:" + name;

    /// <summary>The path element of a list item, or <see langword="null"/> when a keyed item lacks its key.</summary>
    public static string? ItemElement(Structure structure, Position list, JsonNode? item, int index) => structure switch
    {
        Structure.KeyedList => item is JsonObject obj && obj[list.Rule.MergeKey!] is { } key
            ? "k:" + new JsonObject { [list.Rule.MergeKey!] = key.DeepClone() }.ToJsonString(FieldSet.CompactJson)
            : null,
        Structure.SetList => "v:" + (item?.ToJsonString(FieldSet.CompactJson) ?? "null"),
        _ => "i:" + index.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Tells whether a top-level or metadata field is one the field manager does not track.</summary>
    public static bool IsStripped(IReadOnlyList<string> prefix, string name) =>
        (prefix.Count == 0 && StrippedTop.Contains(name)) || (prefix.Count == 1 && prefix[0] == "f:metadata" && StrippedMeta.Contains(name));

    /// <summary>
    /// The fields an object sets, as structured-merge-diff's <c>ToFieldSet</c>: every leaf (scalar, atomic list or struct,
    /// empty map) and every list item, under the object's model type; untracked system fields left out.
    /// </summary>
    /// <param name="obj">The object (or applied configuration).</param>
    /// <param name="model">Its model type.</param>
    /// <returns>The set.</returns>
    public static FieldSet FieldsOf(JsonNode? obj, Type model)
    {
        var set = new FieldSet();
        Walk(obj, Root(model), [], set);
        return set;
    }

    private static void Walk(JsonNode? value, Position position, List<string> prefix, FieldSet set)
    {
        switch (position.StructureOf(value))
        {
            case Structure.Map:
                var map = (JsonObject)value!;
                if (map.Count == 0 && prefix.Count > 0)
                {
                    set.Add(prefix);
                }

                foreach (var (name, child) in map)
                {
                    if (IsStripped(prefix, name) || child is null)
                    {
                        continue;
                    }

                    prefix.Add(FieldElement(name));
                    Walk(child, position.Child(name), prefix, set);
                    prefix.RemoveAt(prefix.Count - 1);
                }

                break;
            case Structure.KeyedList or Structure.SetList:
                var structure = position.StructureOf(value);
                var list = (JsonArray)value!;
                if (list.Count == 0)
                {
                    set.Add(prefix);
                }

                for (var i = 0; i < list.Count; i++)
                {
                    if (ItemElement(structure, position, list[i], i) is not { } element)
                    {
                        continue;
                    }

                    prefix.Add(element);
                    set.Add(prefix);
                    if (structure == Structure.KeyedList)
                    {
                        Walk(list[i], position.Item(), prefix, set);
                    }

                    prefix.RemoveAt(prefix.Count - 1);
                }

                break;
            default:
                if (prefix.Count > 0)
                {
                    set.Add(prefix);
                }

                break;
        }
    }
}
