using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>
/// Applies a Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>, what
/// <c>kubectl apply</c> client-side, <c>kubectl patch</c> and <c>kubectl edit</c> send) to an object's JSON,
/// the way k8s.io/apimachinery's strategicpatch package does on the API server.
/// </summary>
/// <remarks>
/// <para>Maps merge recursively and <c>null</c> deletes a field. Lists follow the field's patch strategy from
/// <see cref="PatchStrategyTable"/>: untagged lists are replaced; <c>merge</c> lists of objects merge element-wise by
/// their merge key and lists of primitives merge as sets. The order of the result follows
/// <c>$setElementOrder/&lt;list&gt;</c>, then the patch's order, then the live object's.</para>
/// <para>Directives: <c>$patch: replace</c> and <c>$patch: delete</c> in a map or as a list element
/// (<c>{"$patch":"delete","name":"x"}</c> removes every element with that key; <c>{"$patch":"replace"}</c> makes the
/// rest of the list the whole list); <c>$setElementOrder/&lt;list&gt;</c>; <c>$deleteFromPrimitiveList/&lt;list&gt;</c>;
/// <c>$retainKeys</c>. As in Kubernetes, <c>$patch: merge</c> is a struct-tag strategy, not a directive a patch may
/// carry: it is refused.</para>
/// <para>Deliberate differences: a value newly added from the patch has every directive key stripped (Kubernetes
/// strips only <c>$patch</c> maps and leaves other directive keys for the decoder to drop), any other key starting
/// with <c>$</c> is refused as an unknown directive, and a patch value whose kind does not fit the model's field
/// (an object for a list, a list for a string ...) is refused here rather than when the result is decoded.</para>
/// </remarks>
public static partial class StrategicMergePatch
{
    /// <summary>The Content-Type of a strategic merge patch.</summary>
    public const string ContentType = "application/strategic-merge-patch+json";

    private const string DirectiveMarker = "$patch";
    private const string DeleteDirective = "delete";
    private const string ReplaceDirective = "replace";
    private const string MergeDirective = "merge";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";

    /// <summary>Applies a strategic merge patch given as JSON text.</summary>
    /// <param name="original">The object's JSON; <see langword="null"/> counts as <c>{}</c>. Not modified.</param>
    /// <param name="patch">The patch document.</param>
    /// <param name="modelType">The KubernetesClient model type of the object, e.g. <c>typeof(V1Pod)</c>;
    /// it decides the strategy and merge key of every nested field.</param>
    /// <returns>The patched JSON, a new tree.</returns>
    /// <exception cref="PatchException">The patch is malformed (400) or cannot be applied (422).</exception>
    public static JsonObject Apply(JsonNode? original, string patch, Type modelType) =>
        Apply(original, JsonNodes.Parse(patch, "patch"), modelType);

    /// <summary>Applies a strategic merge patch.</summary>
    /// <param name="original">The object's JSON; <see langword="null"/> counts as <c>{}</c>. Not modified.</param>
    /// <param name="patch">The patch document: a JSON object (<see langword="null"/> changes nothing). Not modified.</param>
    /// <param name="modelType">The KubernetesClient model type of the object, e.g. <c>typeof(V1Pod)</c>.</param>
    /// <returns>The patched JSON, a new tree.</returns>
    /// <exception cref="PatchException">The patch is malformed (400) or cannot be applied (422).</exception>
    public static JsonObject Apply(JsonNode? original, JsonNode? patch, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        var result = original switch
        {
            null => new JsonObject(),
            JsonObject originalObject => (JsonObject)originalObject.DeepClone(),
            _ => throw PatchException.BadRequest("invalid JSON document: the object to patch is not a JSON object"),
        };
        if (patch is null)
        {
            return result;
        }

        if (patch is not JsonObject patchObject)
        {
            throw PatchException.BadRequest("invalid JSON document: a strategic merge patch must be a JSON object");
        }

        var shape = ModelShape.Of(modelType);
        CheckKinds(shape, patchObject, string.Empty);
        return MergeMap(result, patchObject, shape, string.Empty);
    }

    /// <summary>Merges a patch map into an original map (the original is changed and returned, unless a
    /// <c>$patch</c> directive makes a new map).</summary>
    private static JsonObject MergeMap(JsonObject original, JsonObject patch, ModelShape schema, string path)
    {
        if (patch.TryGetPropertyValue(DirectiveMarker, out var directive))
        {
            return HandleDirectiveInMap(directive, patch);
        }

        ApplyRetainKeys(original, patch);
        var handled = MergeOrderedLists(original, patch, schema, path);

        foreach (var (key, patchValue) in patch)
        {
            if (key == RetainKeysDirective || handled.Contains(key))
            {
                continue;
            }

            var fieldKey = key;
            var isDeleteList = false;
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                fieldKey = ExtractKey(key, DeleteFromPrimitiveListPrefix);
                isDeleteList = true;
            }
            else if (key.StartsWith('$'))
            {
                throw UnknownDirective(key);
            }

            var fieldPath = Join(path, fieldKey);
            if (patchValue is null)
            {
                original.Remove(fieldKey);
                continue;
            }

            if (!original.TryGetPropertyValue(fieldKey, out var originalValue) ||
                JsonNodes.KindOf(originalValue) != JsonNodes.KindOf(patchValue))
            {
                if (!isDeleteList)
                {
                    SetNew(original, fieldKey, patchValue);
                }

                continue;
            }

            switch (patchValue)
            {
                case JsonObject patchMap:
                    var mapField = LookupField(schema, fieldKey);
                    var merged = mapField.Rule.Replaces
                        ? Clean(patchMap) as JsonObject ?? new JsonObject()
                        : MergeMap(originalValue!.AsObject(), patchMap, mapField.Shape, fieldPath);
                    Set(original, fieldKey, merged);
                    break;
                case JsonArray patchList:
                    var listField = LookupField(schema, fieldKey);
                    var items = MergeListHandler(
                        originalValue!.AsArray(), patchList, listField.Shape.Element ?? ModelShape.Untyped, listField.Rule, isDeleteList, fieldPath);
                    original[fieldKey] = new JsonArray([.. items]);
                    break;
                default:
                    original[fieldKey] = patchValue.DeepClone();
                    break;
            }
        }

        return original;
    }

    private static JsonObject HandleDirectiveInMap(JsonNode? directive, JsonObject patch)
    {
        switch (JsonNodes.AsString(directive))
        {
            case ReplaceDirective:
                // The patch, less the directive, is the whole map.
                var replacement = new JsonObject();
                foreach (var (key, value) in patch)
                {
                    if (value is not null && !IsDirectiveKey(key) && IsKept(value, out var cleaned))
                    {
                        replacement[key] = cleaned;
                    }
                }

                return replacement;
            case DeleteDirective:
                return new JsonObject();
            default:
                throw new PatchException($"unknown patch type: {JsonNodes.Text(directive)} in map: {JsonNodes.Text(patch)}");
        }
    }

    /// <summary>Applies <c>$retainKeys</c>: clears every field of the original not in the list, after checking
    /// that the patch sets no field outside it.</summary>
    private static void ApplyRetainKeys(JsonObject original, JsonObject patch)
    {
        if (!patch.TryGetPropertyValue(RetainKeysDirective, out var retainKeys))
        {
            return;
        }

        if (retainKeys is not JsonArray list)
        {
            throw PatchException.BadRequest("invalid patch format of retainKeys");
        }

        var retained = new HashSet<string>(list.Select(JsonNodes.AsString).OfType<string>(), StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (value is null || key == RetainKeysDirective ||
                key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal) ||
                key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!retained.Contains(key))
            {
                throw PatchException.BadRequest("invalid patch format of retainKeys");
            }
        }

        foreach (var key in original.Select(pair => pair.Key).Where(key => !retained.Contains(key)).ToList())
        {
            original.Remove(key);
        }
    }

    /// <summary>The field a key names, with the shape and rule the merge follows. A field a model object does not
    /// have cannot be merged (the API server answers <c>unable to find api field</c>); maps and untyped values merge
    /// without a strategy.</summary>
    private static ModelField LookupField(ModelShape schema, string key)
    {
        switch (schema.Kind)
        {
            case ModelShapeKind.Object:
                return schema.Field(key) ?? throw new PatchException(
                    $"unable to find api field in struct {schema.ClrType!.Name} for the json field \"{key}\"");
            case ModelShapeKind.Map:
                return new ModelField(key, schema.ClrType!, schema.Element!, PatchFieldRule.None);
            default:
                return new ModelField(key, typeof(object), ModelShape.Untyped, PatchFieldRule.None);
        }
    }

    /// <summary>Checks, before anything is merged, that every value of the patch fits the kind of the model field
    /// it lands in: an object for an object or a map, an array for a list, a scalar for a scalar.</summary>
    private static void CheckKinds(ModelShape shape, JsonNode? value, string path)
    {
        if (value is null)
        {
            return;
        }

        if (!shape.Accepts(value))
        {
            throw new PatchException(
                $"unable to apply the patch: field \"{path}\" ({shape.Name}) cannot take a JSON {JsonNodes.KindName(value)}");
        }

        switch (value)
        {
            case JsonObject map when shape.Kind is ModelShapeKind.Object or ModelShapeKind.Map:
                foreach (var (key, child) in map)
                {
                    if (key.StartsWith('$'))
                    {
                        continue;
                    }

                    var childShape = shape.Kind == ModelShapeKind.Map ? shape.Element : shape.Field(key)?.Shape;
                    if (childShape is not null)
                    {
                        CheckKinds(childShape, child, Join(path, key));
                    }
                }

                break;
            case JsonArray list when shape.Kind == ModelShapeKind.List:
                for (var i = 0; i < list.Count; i++)
                {
                    var isDirective = list[i] is JsonObject element && element.ContainsKey(DirectiveMarker);
                    if (!isDirective)
                    {
                        CheckKinds(shape.Element!, list[i], $"{path}[{i}]");
                    }
                }

                break;
        }
    }

    /// <summary>Puts a value from the patch where the original has none (or one of another kind).</summary>
    private static void SetNew(JsonObject original, string key, JsonNode patchValue)
    {
        if (IsKept(patchValue, out var cleaned))
        {
            original[key] = cleaned;
        }
        else
        {
            original.Remove(key);
        }
    }

    private static void Set(JsonObject target, string key, JsonNode value)
    {
        if (!ReferenceEquals(target[key], value))
        {
            target[key] = value;
        }
    }

    /// <summary>Copies a value from the patch for use as-is: <c>null</c> fields dropped, maps with a <c>$patch</c>
    /// directive (and list elements that are such maps) dropped, other directive keys stripped.</summary>
    private static JsonNode? Clean(JsonNode? value) => IsKept(value, out var cleaned) ? cleaned : null;

    private static bool IsKept(JsonNode? value, out JsonNode? cleaned)
    {
        switch (value)
        {
            case JsonObject map:
                cleaned = null;
                if (map.ContainsKey(DirectiveMarker))
                {
                    return false;
                }

                var copy = new JsonObject();
                foreach (var (key, child) in map)
                {
                    if (child is null || IsDirectiveKey(key))
                    {
                        continue;
                    }

                    if (IsKept(child, out var cleanedChild))
                    {
                        copy[key] = cleanedChild;
                    }
                }

                cleaned = copy;
                return true;
            case JsonArray list:
                var items = new JsonArray();
                foreach (var item in list)
                {
                    if (IsKept(item, out var cleanedItem))
                    {
                        items.Add(cleanedItem);
                    }
                }

                cleaned = items;
                return true;
            default:
                cleaned = value?.DeepClone();
                return true;
        }
    }

    /// <summary>Tells a known directive key (to strip) from an unknown one (refused).</summary>
    private static bool IsDirectiveKey(string key)
    {
        if (!key.StartsWith('$'))
        {
            return false;
        }

        return key == RetainKeysDirective || key == DirectiveMarker ||
            key.StartsWith(SetElementOrderPrefix + "/", StringComparison.Ordinal) ||
            key.StartsWith(DeleteFromPrimitiveListPrefix + "/", StringComparison.Ordinal)
            ? true
            : throw UnknownDirective(key);
    }

    private static string ExtractKey(string key, string prefix)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !key.AsSpan(0, slash).SequenceEqual(prefix))
        {
            throw PatchException.BadRequest(prefix == SetElementOrderPrefix
                ? "invalid patch format of setElementOrder list"
                : "invalid patch format of primitive list");
        }

        return key[(slash + 1)..];
    }

    private static PatchException UnknownDirective(string key) =>
        new($"unknown strategic merge patch directive \"{key}\": expected $patch, $retainKeys, " +
            "$setElementOrder/<list> or $deleteFromPrimitiveList/<list>");

    private static PatchException NoMergeKey(JsonNode? map, string mergeKey) =>
        new($"map: {JsonNodes.Text(map)} does not contain declared merge key: {mergeKey}");

    private static PatchException NotAMap(JsonNode? value) =>
        new($"expected a map, but received a {JsonNodes.KindName(value)}: {JsonNodes.Text(value)}");

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
