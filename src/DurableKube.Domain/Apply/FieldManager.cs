using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace DurableKube.Domain.Apply;

/// <summary>
/// Server-side apply and the API server's field manager, as pure functions over JSON: who owns which field
/// (<c>metadata.managedFields</c>), the merge of an applied configuration into the live object, conflicts, removal
/// of fields an applier stopped applying, and the <c>Update</c> entries every other write records.
/// </summary>
public static class FieldManager
{
    /// <summary>The operation of an apply.</summary>
    public const string ApplyOperation = "Apply";

    /// <summary>The operation of every other write.</summary>
    public const string UpdateOperation = "Update";

    /// <summary>The only fields type.</summary>
    public const string FieldsV1 = "FieldsV1";

    /// <summary>The manager kubectl's server-side apply uses, whose apply takes over the fields of a client-side apply.</summary>
    public const string KubectlManager = "kubectl";

    /// <summary>Client-side apply's annotation.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>What an apply gives: the new object, its managed fields already set.</summary>
    /// <param name="Object">The merged object.</param>
    /// <param name="Conflicts">The conflicts that were forced (empty unless force).</param>
    public sealed record ApplyResult(JsonObject Object, IReadOnlyList<ApplyConflict> Conflicts);

    /// <summary>
    /// Applies a configuration (structured-merge-diff's <c>Update.Apply</c>): merges it into the live object by the
    /// schema's list types and keys, removes the fields the manager applied before and applies no more (unless another
    /// manager owns them), refuses with <see cref="ApplyConflictException"/> to change a field another manager owns
    /// unless <paramref name="force"/>, which takes the field over. kubectl's apply (<see cref="KubectlManager"/>) takes
    /// over, without conflict, the fields the client-side apply annotation held, and keeps that annotation current.
    /// </summary>
    /// <param name="live">The live object; <see langword="null"/> when the apply creates it.</param>
    /// <param name="applied">The applied configuration.</param>
    /// <param name="model">The model type.</param>
    /// <param name="manager">The applier's field manager.</param>
    /// <param name="force">Whether conflicts are forced.</param>
    /// <param name="now">The time recorded in the entry.</param>
    /// <returns>The new object with its <c>metadata.managedFields</c>.</returns>
    /// <exception cref="ApplyConflictException">Conflicts with other managers.</exception>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, Type model, string manager, bool force, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(model);
        var apiVersion = applied["apiVersion"]?.GetValue<string>() ?? live?["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var config = (JsonObject)applied.DeepClone();
        config.Remove("status");
        var before = (JsonObject?)live?.DeepClone() ?? new JsonObject();
        var entries = ReadEntries(before);
        var appliedSet = FieldWalker.FieldsOf(config, model);

        var merged = (JsonObject)Merge(before, config, FieldWalker.Root(model))!;
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == ApplyOperation && string.IsNullOrEmpty(e.Subresource));
        var previous = mine is null ? new FieldSet() : SetOf(mine);
        var others = entries.Where(e => !ReferenceEquals(e, mine)).ToList();
        var ownedByOthers = others.Aggregate(new FieldSet(), (all, e) => all.Union(SetOf(e)));
        foreach (var path in previous.Except(appliedSet).Except(ownedByOthers).Paths.OrderByDescending(p => p.Count))
        {
            Remove(merged, path, FieldWalker.Root(model));
        }

        var conflicts = new List<ApplyConflict>();
        var conflicting = new Dictionary<V1ManagedFieldsEntry, FieldSet>();
        foreach (var path in appliedSet.Paths)
        {
            // A list item's own path ("." in FieldsV1) changes only by appearing; its fields are compared one by one.
            var wasThere = ValueAt(before, path) is not null;
            if (wasThere && (path[^1][0] is 'k' or 'v' || JsonNode.DeepEquals(ValueAt(before, path), ValueAt(merged, path))))
            {
                continue;
            }

            foreach (var other in others.Where(e => SetOf(e).Contains(path)))
            {
                conflicts.Add(new ApplyConflict(Print(other), FieldSet.Render(path)));
                conflicting.TryAdd(other, new FieldSet());
                conflicting[other].Add(path);
            }
        }

        if (conflicts.Count > 0 && !force && manager == KubectlManager && FieldsOfLastApplied(before, model) is { } lastApplied
            && conflicting.Values.All(s => s.Except(lastApplied).Count == 0))
        {
            // kubectl's migration from client-side apply: the fields the annotation held are taken over.
            force = true;
        }

        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException(conflicts);
        }

        var result = Reassign(
            others,
            entry => conflicting.TryGetValue(entry, out var lost) ? SetOf(entry).Except(lost) : SetOf(entry),
            appliedSet.Count > 0 ? Entry(manager, ApplyOperation, apiVersion, subresource: null, appliedSet, now) : null);

        if (manager == KubectlManager && merged["metadata"]?["annotations"]?[LastAppliedAnnotation] is not null)
        {
            // As the API server's lastAppliedUpdater: client-side apply after this apply sees what was applied.
            var annotation = (JsonObject)applied.DeepClone();
            annotation["metadata"]?.AsObject()["annotations"]?.AsObject().Remove(LastAppliedAnnotation);
            merged["metadata"]!["annotations"]![LastAppliedAnnotation] = annotation.ToJsonString() + "\n";
        }

        WriteEntries(merged, result);
        return new ApplyResult(merged, force ? conflicts : []);
    }

    /// <summary>
    /// Records a write that is not an apply (the field manager's <c>Update</c>): the manager's <c>Update</c> entry for
    /// the subresource gains the fields the write added or changed and loses those it removed; every other manager loses
    /// the fields the write changed or removed. A write that asks for an empty <c>managedFields</c> clears them; one that
    /// leaves them out keeps the live ones.
    /// </summary>
    /// <param name="old">The object before the write; <see langword="null"/> for a create.</param>
    /// <param name="updated">The object the write stores; its <c>metadata.managedFields</c> is set.</param>
    /// <param name="sentManagedFields">The managedFields the writer sent: <see langword="null"/> when it sent none.</param>
    /// <param name="model">The model type.</param>
    /// <param name="manager">The writer's field manager.</param>
    /// <param name="subresource">The subresource written (<c>status</c>, <c>scale</c>); <see langword="null"/> for the main resource.</param>
    /// <param name="now">The time recorded in the entry.</param>
    public static void Update(JsonObject? old, JsonObject updated, JsonNode? sentManagedFields, Type model, string manager, string? subresource, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(model);
        if (sentManagedFields is JsonArray { Count: 0 })
        {
            WriteEntries(updated, []);
            return;
        }

        var entries = sentManagedFields is JsonArray { Count: > 0 } sent
            ? ReadEntries(new JsonObject { ["metadata"] = new JsonObject { ["managedFields"] = sent.DeepClone() } })
            : old is null ? [] : ReadEntries(old);
        var oldSet = old is null ? new FieldSet() : FieldWalker.FieldsOf(old, model);
        var newSet = FieldWalker.FieldsOf(updated, model);
        var removed = oldSet.Except(newSet);
        var changed = new FieldSet();
        foreach (var path in newSet.Paths)
        {
            if (old is null || !oldSet.Contains(path) || !JsonNode.DeepEquals(ValueAt(old, path), ValueAt(updated, path)))
            {
                changed.Add(path);
            }
        }

        if (changed.Count == 0 && removed.Count == 0)
        {
            WriteEntries(updated, entries);
            return;
        }

        var apiVersion = updated["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == UpdateOperation && e.Subresource == subresource && e.ApiVersion == apiVersion);
        var owned = (mine is null ? new FieldSet() : SetOf(mine)).Union(changed).Except(removed);
        var result = Reassign(
            entries.Where(e => !ReferenceEquals(e, mine)),
            entry => SetOf(entry).Except(changed).Except(removed),
            owned.Count > 0 ? Entry(manager, UpdateOperation, apiVersion, subresource, owned, now) : null);

        WriteEntries(updated, result);
    }

    /// <summary>A manager as the API server prints it in a conflict: <c>"name"</c>, with subresource, and <c>using</c> its apiVersion for an Update.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The text.</returns>
    public static string Print(V1ManagedFieldsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = JsonSerializer.Serialize(entry.Manager ?? string.Empty, FieldSet.CompactJson);
        if (!string.IsNullOrEmpty(entry.Subresource))
        {
            text += " with subresource " + JsonSerializer.Serialize(entry.Subresource, FieldSet.CompactJson);
        }

        return entry.Operation == UpdateOperation ? text + " using " + entry.ApiVersion : text;
    }

    /// <summary>The fields an entry owns.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The set.</returns>
    public static FieldSet SetOf(V1ManagedFieldsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return FieldSet.FromFieldsV1(entry.FieldsV1 switch
        {
            null => null,
            JsonNode node => node,
            var other => JsonSerializer.SerializeToNode(other),
        });
    }

    /// <summary>
    /// The entries after a write: every other manager keeps what <paramref name="keep"/> leaves it (an entry left with
    /// nothing is dropped, as the API server drops it), then the writer's own entry (<see langword="null"/> when it owns nothing).
    /// </summary>
    private static List<V1ManagedFieldsEntry> Reassign(IEnumerable<V1ManagedFieldsEntry> others, Func<V1ManagedFieldsEntry, FieldSet> keep, V1ManagedFieldsEntry? writer)
    {
        var result = new List<V1ManagedFieldsEntry>();
        foreach (var entry in others)
        {
            var set = keep(entry);
            if (set.Count > 0)
            {
                result.Add(WithSet(entry, set));
            }
        }

        if (writer is not null)
        {
            result.Add(writer);
        }

        return result;
    }

    private static V1ManagedFieldsEntry Entry(string manager, string operation, string apiVersion, string? subresource, FieldSet set, DateTime now) => new()
    {
        Manager = manager,
        Operation = operation,
        ApiVersion = apiVersion,
        Time = Truncate(now),
        FieldsType = FieldsV1,
        FieldsV1 = set.ToFieldsV1(),
        Subresource = subresource,
    };

    private static V1ManagedFieldsEntry WithSet(V1ManagedFieldsEntry entry, FieldSet set) => new()
    {
        Manager = entry.Manager,
        Operation = entry.Operation,
        ApiVersion = entry.ApiVersion,
        Time = entry.Time,
        FieldsType = entry.FieldsType ?? FieldsV1,
        FieldsV1 = set.ToFieldsV1(),
        Subresource = entry.Subresource,
    };

    private static DateTime Truncate(DateTime now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static List<V1ManagedFieldsEntry> ReadEntries(JsonObject obj) =>
        obj["metadata"]?["managedFields"] is JsonArray array
            ? array.Select(e => e.Deserialize<V1ManagedFieldsEntry>(Serialization.KubeJson.Options)!).Where(e => e is not null).ToList()
            : [];

    private static void WriteEntries(JsonObject obj, List<V1ManagedFieldsEntry> entries)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        if (entries.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }

        metadata["managedFields"] = JsonSerializer.SerializeToNode(entries, Serialization.KubeJson.Options);
    }

    private static FieldSet? FieldsOfLastApplied(JsonObject live, Type model)
    {
        if (live["metadata"]?["annotations"]?[LastAppliedAnnotation] is not JsonValue text || !text.TryGetValue<string>(out var json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) is JsonObject lastApplied ? FieldWalker.FieldsOf(lastApplied, model) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Merges an applied value into a live one by the position's structure.</summary>
    internal static JsonNode? Merge(JsonNode? live, JsonNode? applied, FieldWalker.Position position)
    {
        var structure = position.StructureOf(applied);
        switch (structure)
        {
            case FieldWalker.Structure.Map when live is JsonObject liveMap:
                var result = (JsonObject)liveMap.DeepClone();
                foreach (var (name, value) in (JsonObject)applied!)
                {
                    if (value is null)
                    {
                        result.Remove(name);
                        continue;
                    }

                    result[name] = Merge(liveMap[name], value, position.Child(name));
                }

                return result;
            case FieldWalker.Structure.KeyedList when live is JsonArray liveList && position.StructureOf(live) == structure:
                var items = liveList.Select(i => i?.DeepClone()).ToList();
                var keys = items.Select((item, i) => FieldWalker.ItemElement(structure, position, item, i)).ToList();
                foreach (var (item, index) in ((JsonArray)applied!).Select((item, index) => (item, index)))
                {
                    var key = FieldWalker.ItemElement(structure, position, item, index);
                    var at = key is null ? -1 : keys.IndexOf(key);
                    if (at >= 0)
                    {
                        items[at] = Merge(items[at], item, position.Item());
                    }
                    else
                    {
                        items.Add(item?.DeepClone());
                        keys.Add(key);
                    }
                }

                return new JsonArray([.. items]);
            case FieldWalker.Structure.SetList when live is JsonArray liveSet:
                var union = liveSet.Select(i => i?.DeepClone()).ToList();
                foreach (var item in (JsonArray)applied!)
                {
                    if (!union.Any(u => JsonNode.DeepEquals(u, item)))
                    {
                        union.Add(item?.DeepClone());
                    }
                }

                return new JsonArray([.. union]);
            default:
                return applied?.DeepClone();
        }
    }

    /// <summary>The value at a path, or <see langword="null"/> when there is none.</summary>
    internal static JsonNode? ValueAt(JsonNode? root, IReadOnlyList<string> path)
    {
        var node = root;
        foreach (var element in path)
        {
            node = Step(node, element, out _);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static JsonNode? Step(JsonNode? node, string element, out int index)
    {
        index = -1;
        var body = element[2..];
        switch (element[0])
        {
            case 'f' when node is JsonObject obj:
                return obj[body];
            case 'i' when node is JsonArray list && int.TryParse(body, out var i) && i < list.Count:
                index = i;
                return list[i];
            case 'v' when node is JsonArray set:
                var value = JsonNode.Parse(body);
                index = set.Select((item, n) => (item, n)).FirstOrDefault(p => JsonNode.DeepEquals(p.item, value), (null, -1)).Item2;
                return index >= 0 ? set[index] ?? JsonValue.Create((string?)null) : null;
            case 'k' when node is JsonArray keyed:
                var key = JsonNode.Parse(body)!.AsObject();
                index = keyed.Select((item, n) => (item, n))
                    .FirstOrDefault(p => p.item is JsonObject o && key.All(k => JsonNode.DeepEquals(o[k.Key], k.Value)), (null, -1)).Item2;
                return index >= 0 ? keyed[index] : null;
            default:
                return null;
        }
    }

    private static void Remove(JsonObject root, IReadOnlyList<string> path, FieldWalker.Position position)
    {
        _ = position;
        JsonNode? parent = root;
        for (var i = 0; i < path.Count - 1 && parent is not null; i++)
        {
            parent = Step(parent, path[i], out _);
        }

        if (parent is null)
        {
            return;
        }

        var last = path[^1];
        if (last[0] == 'f' && parent is JsonObject obj)
        {
            obj.Remove(last[2..]);
        }
        else if (parent is JsonArray list && Step(list, last, out var index) is not null && index >= 0)
        {
            list.RemoveAt(index);
        }
    }
}
