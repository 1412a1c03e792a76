using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>Lists: merging by key or as sets, list directives, and the order of the result.</summary>
public static partial class StrategicMergePatch
{
    /// <summary>
    /// Processes every <c>$setElementOrder/&lt;list&gt;</c> of a patch map together with its list: merges the list
    /// and orders the result by the directive, then by the live order for elements only the server has.
    /// </summary>
    /// <returns>The patch keys handled here (the directives and their lists), which the map merge skips.</returns>
    private static HashSet<string> MergeOrderedLists(JsonObject original, JsonObject patch, ModelShape schema, string path)
    {
        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            handled.Add(key);
            if (value is not JsonArray order)
            {
                throw PatchException.BadRequest("invalid patch format of setElementOrder list");
            }

            var listKey = ExtractKey(key, SetElementOrderPrefix);
            var listPath = Join(path, listKey);
            var foundOriginal = original.TryGetPropertyValue(listKey, out var originalNode);
            var foundPatch = patch.TryGetPropertyValue(listKey, out var patchNode);
            if ((foundOriginal && originalNode is not JsonArray) || (foundPatch && patchNode is not JsonArray))
            {
                throw new PatchException($"expected a list for \"{listPath}\" beside {key}");
            }

            var field = LookupField(schema, listKey);
            if (field.Shape.Kind is not (ModelShapeKind.List or ModelShapeKind.Any))
            {
                throw new PatchException($"expected slice or array type for \"{listPath}\", but got: {field.Shape.Name}");
            }

            var mergeKey = field.Rule.MergeKey ?? string.Empty;
            var originalArray = originalNode as JsonArray;
            var patchArray = patchNode as JsonArray;
            var originalItems = originalArray?.ToList() ?? [];
            var patchItems = patchArray?.ToList() ?? [];
            ValidatePatchWithSetOrderList(patchItems, order, mergeKey, key);

            List<JsonNode?> merged;
            if (foundOriginal && !foundPatch)
            {
                merged = Detach(originalArray!);
            }
            else if (!foundOriginal && foundPatch)
            {
                merged = CleanItems(patchArray!);
            }
            else if (foundOriginal && foundPatch)
            {
                merged = MergeListHandler(
                    originalArray!, patchArray!, field.Shape.Element ?? ModelShape.Untyped, field.Rule, isDeleteList: false, listPath);
            }
            else
            {
                continue;
            }

            handled.Add(listKey);
            if (originalItems.Count == 0 && patchItems.Count == 0)
            {
                // Nothing to order (Kubernetes fails here with "no elements in any of the given slices").
                original[listKey] = new JsonArray([.. merged]);
                continue;
            }

            var kind = ElementKind(originalItems, patchItems, listPath);
            var (inOrder, serverOnly) = mergeKey.Length == 0 || kind != JsonValueKind.Object
                ? PartitionPrimitives(merged, order)
                : PartitionMaps(merged, order, mergeKey);
            original[listKey] = new JsonArray([.. NormalizeElementOrder(inOrder, serverOnly, order, originalItems, mergeKey, kind)]);
        }

        return handled;
    }

    /// <summary>Merges a list field by its strategy: <c>merge</c> lists (and <c>$deleteFromPrimitiveList</c>) merge,
    /// others are replaced by the patch's list.</summary>
    private static List<JsonNode?> MergeListHandler(
        JsonArray original, JsonArray patch, ModelShape elementShape, PatchFieldRule rule, bool isDeleteList, string path)
    {
        if (rule.Merges || isDeleteList)
        {
            return MergeList(original, patch, elementShape, rule.MergeKey ?? string.Empty, isDeleteList, path);
        }

        return CleanItems(patch);
    }

    private static List<JsonNode?> MergeList(
        JsonArray originalArray, JsonArray patchArray, ModelShape elementShape, string mergeKey, bool isDeleteList, string path)
    {
        var original = Detach(originalArray);
        var patch = patchArray.ToList();
        if (original.Count == 0 && patch.Count == 0)
        {
            return original;
        }

        var kind = ElementKind(original, patch, path);
        List<JsonNode?> merged;
        if (kind != JsonValueKind.Object)
        {
            if (isDeleteList)
            {
                return [.. original.Where(item => !patch.Any(deleted => JsonNodes.Equal(item, deleted)))];
            }

            merged = Deduplicate([.. original, .. patch.Select(node => node?.DeepClone())]);
        }
        else
        {
            if (mergeKey.Length == 0)
            {
                throw new PatchException($"cannot merge lists without merge key for {path}");
            }

            (original, patch) = MergeListWithSpecialElements(original, patch, mergeKey);
            merged = MergeListWithoutSpecialElements(original, patch, mergeKey, elementShape, path);
        }

        var (patchItems, serverOnly) = kind == JsonValueKind.Object
            ? PartitionMaps(merged, patch, mergeKey)
            : PartitionPrimitives(merged, patch);
        return NormalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
    }

    /// <summary>Applies the list elements that are directives: <c>{"$patch":"delete", key: v}</c> removes every
    /// element with that key; <c>{"$patch":"replace"}</c> makes the other elements the whole list.</summary>
    /// <returns>The original less deletions (or the replacement), and the patch less directive elements.</returns>
    private static (List<JsonNode?> Original, List<JsonNode?> Patch) MergeListWithSpecialElements(
        List<JsonNode?> original, List<JsonNode?> patch, string mergeKey)
    {
        var plain = new List<JsonNode?>();
        var replace = false;
        foreach (var element in patch)
        {
            var map = element!.AsObject();
            if (!map.TryGetPropertyValue(DirectiveMarker, out var directive))
            {
                plain.Add(element);
                continue;
            }

            switch (JsonNodes.AsString(directive))
            {
                case DeleteDirective:
                    if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
                    {
                        throw NoMergeKey(map, mergeKey);
                    }

                    original = [.. original.Where(item => !HasKeyValue(item, mergeKey, keyValue))];
                    break;
                case ReplaceDirective:
                    replace = true;
                    break;
                case MergeDirective:
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {JsonNodes.Text(directive)} in map: {JsonNodes.Text(map)}");
            }
        }

        return replace ? ([.. plain.Select(Clean)], []) : (original, plain);
    }

    /// <summary>Merges each patch element into the original element with the same merge key, or appends it.</summary>
    private static List<JsonNode?> MergeListWithoutSpecialElements(
        List<JsonNode?> original, List<JsonNode?> patch, string mergeKey, ModelShape elementShape, string path)
    {
        var merged = new List<JsonNode?>(original);
        foreach (var element in patch)
        {
            var map = element!.AsObject();
            if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(map, mergeKey);
            }

            var index = merged.FindIndex(item => HasKeyValue(item, mergeKey, keyValue));
            if (index >= 0)
            {
                var target = merged[index]!.AsObject();
                merged[index] = MergeMap(target, map, elementShape, $"{path}[{mergeKey}={JsonNodes.Text(keyValue)}]");
                var position = original.FindIndex(item => ReferenceEquals(item, target));
                if (position >= 0)
                {
                    original[position] = merged[index];
                }
            }
            else
            {
                merged.Add(Clean(map));
            }
        }

        return merged;
    }

    /// <summary>Checks that the patch list keeps the relative order of <c>$setElementOrder</c> and holds no element
    /// missing from it (deletions aside).</summary>
    private static void ValidatePatchWithSetOrderList(List<JsonNode?> patch, JsonArray order, string mergeKey, string directive)
    {
        if (order.Count == 0 || patch.Count == 0)
        {
            return;
        }

        var nonDelete = mergeKey.Length > 0 ? ExtractToDeleteItems(patch).Keep : patch;
        int patchIndex = 0, orderIndex = 0;
        while (patchIndex < nonDelete.Count && orderIndex < order.Count)
        {
            if (nonDelete[patchIndex] is JsonObject map && map.ContainsKey(DirectiveMarker))
            {
                patchIndex++;
                continue;
            }

            if (MergeKeyValueEqual(nonDelete[patchIndex], order[orderIndex], mergeKey))
            {
                patchIndex++;
            }

            orderIndex++;
        }

        if (patchIndex < nonDelete.Count && orderIndex >= order.Count)
        {
            throw new PatchException(
                $"The order in patch list: {JsonNodes.Text(new JsonArray([.. patch.Select(n => n?.DeepClone())]))} " +
                $"doesn't match {directive} list: {JsonNodes.Text(order)}");
        }
    }

    private static bool MergeKeyValueEqual(JsonNode? left, JsonNode? right, string mergeKey)
    {
        if (mergeKey.Length == 0)
        {
            return JsonNodes.Equal(left, right);
        }

        var leftMap = left as JsonObject ?? throw NotAMap(left);
        var rightMap = right as JsonObject ?? throw NotAMap(right);
        if (!leftMap.TryGetPropertyValue(mergeKey, out var leftValue))
        {
            throw NoMergeKey(leftMap, mergeKey);
        }

        if (!rightMap.TryGetPropertyValue(mergeKey, out var rightValue))
        {
            throw NoMergeKey(rightMap, mergeKey);
        }

        return JsonNodes.Equal(leftValue, rightValue);
    }

    /// <summary>Orders the merged list: the patch's elements by <paramref name="patchOrder"/>, the server-only
    /// elements by <paramref name="serverOrder"/>, then interleaves them keeping both relative orders, a server-only
    /// element going before a patch element when the live list has it first.</summary>
    private static List<JsonNode?> NormalizeElementOrder(
        List<JsonNode?> patchItems, List<JsonNode?> serverOnly, IList<JsonNode?> patchOrder, IList<JsonNode?> serverOrder,
        string mergeKey, JsonValueKind kind)
    {
        patchItems = NormalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
        serverOnly = NormalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
        return MergeSortedSlice(serverOnly, patchItems, serverOrder, mergeKey, kind);
    }

    private static List<JsonNode?> NormalizeSliceOrder(List<JsonNode?> toSort, IList<JsonNode?> order, string mergeKey, JsonValueKind kind)
    {
        List<JsonNode?> toDelete = [];
        if (kind == JsonValueKind.Object)
        {
            ValidateMergeKeyInLists(mergeKey, toSort, order);
            (toSort, toDelete) = ExtractToDeleteItems(toSort);
        }

        // A stable insertion sort with Kubernetes' "less": by position in the order when both are in it,
        // otherwise the later element moves first. Positions are looked up once.
        var sorted = toSort.Select(item => (Item: item, Position: IndexOf(order, item, mergeKey, kind))).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            for (var j = i; j > 0 && Less(sorted[j].Position, sorted[j - 1].Position); j--)
            {
                (sorted[j], sorted[j - 1]) = (sorted[j - 1], sorted[j]);
            }
        }

        return [.. sorted.Select(entry => entry.Item), .. toDelete];

        static bool Less(int left, int right) => left < 0 || right < 0 || left < right;
    }

    private static List<JsonNode?> MergeSortedSlice(
        List<JsonNode?> left, List<JsonNode?> right, IList<JsonNode?> serverOrder, string mergeKey, JsonValueKind kind)
    {
        var leftPositions = left.Select(item => IndexOf(serverOrder, item, mergeKey, kind)).ToList();
        var rightPositions = right.Select(item => IndexOf(serverOrder, item, mergeKey, kind)).ToList();
        var result = new List<JsonNode?>(left.Count + right.Count);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            var takeLeft = j >= right.Count ||
                (i < left.Count && leftPositions[i] >= 0 && rightPositions[j] >= 0 && leftPositions[i] < rightPositions[j]);
            result.Add(takeLeft ? left[i++] : right[j++]);
        }

        return result;
    }

    /// <summary>The position of an element in a list: by merge key for maps, by value for primitives.</summary>
    private static int IndexOf(IList<JsonNode?> list, JsonNode? value, string mergeKey, JsonValueKind kind)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var match = kind == JsonValueKind.Object
                ? JsonNodes.Equal(KeyOf(value, mergeKey), KeyOf(list[i], mergeKey))
                : JsonNodes.Equal(value, list[i]);
            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonNode? KeyOf(JsonNode? item, string mergeKey) =>
        item is JsonObject map && map.TryGetPropertyValue(mergeKey, out var value) ? value : null;

    private static bool HasKeyValue(JsonNode? item, string mergeKey, JsonNode? keyValue) =>
        item is JsonObject map && map.TryGetPropertyValue(mergeKey, out var value) && JsonNodes.Equal(value, keyValue);

    private static void ValidateMergeKeyInLists(string mergeKey, params IEnumerable<JsonNode?>[] lists)
    {
        foreach (var item in lists.SelectMany(list => list))
        {
            var map = item as JsonObject ?? throw NotAMap(item);
            if (!map.ContainsKey(mergeKey))
            {
                throw NoMergeKey(map, mergeKey);
            }
        }
    }

    private static (List<JsonNode?> Keep, List<JsonNode?> Delete) ExtractToDeleteItems(List<JsonNode?> items)
    {
        var keep = new List<JsonNode?>();
        var delete = new List<JsonNode?>();
        foreach (var item in items)
        {
            var map = item as JsonObject ?? throw NotAMap(item);
            var isDelete = map.TryGetPropertyValue(DirectiveMarker, out var directive) && JsonNodes.AsString(directive) == DeleteDirective;
            (isDelete ? delete : keep).Add(item);
        }

        return (keep, delete);
    }

    private static (List<JsonNode?> Present, List<JsonNode?> Absent) PartitionPrimitives(List<JsonNode?> items, IList<JsonNode?> partitionBy)
    {
        var present = new List<JsonNode?>();
        var absent = new List<JsonNode?>();
        foreach (var item in items)
        {
            (partitionBy.Any(other => JsonNodes.Equal(item, other)) ? present : absent).Add(item);
        }

        return (present, absent);
    }

    private static (List<JsonNode?> Present, List<JsonNode?> Absent) PartitionMaps(
        List<JsonNode?> items, IList<JsonNode?> partitionBy, string mergeKey)
    {
        var present = new List<JsonNode?>();
        var absent = new List<JsonNode?>();
        foreach (var item in items)
        {
            var map = item as JsonObject ?? throw NotAMap(item);
            if (!map.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(map, mergeKey);
            }

            var found = partitionBy.Any(other => other is JsonObject ? HasKeyValue(other, mergeKey, keyValue) : throw NotAMap(other));
            (found ? present : absent).Add(item);
        }

        return (present, absent);
    }

    /// <summary>The one JSON kind shared by every element of the lists; lists of lists and mixed kinds are refused.</summary>
    private static JsonValueKind ElementKind(IEnumerable<JsonNode?> original, IEnumerable<JsonNode?> patch, string path)
    {
        JsonValueKind? kind = null;
        foreach (var item in original.Concat(patch))
        {
            var itemKind = JsonNodes.KindOf(item);
            if (kind is null)
            {
                kind = itemKind == JsonValueKind.Array
                    ? throw new PatchException("lists of lists are not supported")
                    : itemKind;
            }
            else if (kind != itemKind)
            {
                throw new PatchException($"list element types are not identical in \"{path}\"");
            }
        }

        return kind ?? JsonValueKind.Null;
    }

    private static List<JsonNode?> Deduplicate(List<JsonNode?> items)
    {
        var unique = new List<JsonNode?>(items.Count);
        foreach (var item in items)
        {
            if (!unique.Any(seen => JsonNodes.Equal(seen, item)))
            {
                unique.Add(item);
            }
        }

        return unique;
    }

    /// <summary>Copies the elements of a list from the patch, cleaned as <see cref="Clean"/> does.</summary>
    private static List<JsonNode?> CleanItems(JsonArray list)
    {
        var items = new List<JsonNode?>(list.Count);
        foreach (var item in list)
        {
            if (IsKept(item, out var cleaned))
            {
                items.Add(cleaned);
            }
        }

        return items;
    }

    /// <summary>Takes the elements out of a JSON array so they can be put in another.</summary>
    private static List<JsonNode?> Detach(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return items;
    }
}
