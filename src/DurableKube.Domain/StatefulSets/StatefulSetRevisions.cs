using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>
/// A StatefulSet's template history as ControllerRevisions (stateful_set_utils.go <c>getPatch</c>, <c>newRevision</c>,
/// <c>ApplyRevision</c>; controller_history.go <c>HashControllerRevision</c>, <c>ControllerRevisionName</c>,
/// <c>FindEqualRevisions</c>; stateful_set_control.go <c>getStatefulSetRevisions</c>, <c>truncateHistory</c>).
/// A revision's <c>data</c> is the patch that puts its template back: <c>{"spec":{"template":{...,"$patch":"replace"}}}</c>,
/// which is also what <c>kubectl rollout undo</c> sends as a strategic merge patch.
/// </summary>
public static class StatefulSetRevisions
{
    /// <summary>The label that carries a revision's hash.</summary>
    public const string HashLabel = "controller.kubernetes.io/hash";

    /// <summary>The characters of an encoded hash (apimachinery's <c>rand.SafeEncodeString</c>: no vowels, no look-alikes).</summary>
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The revision data of a template: the patch that restores it, with its keys sorted (as Go writes a map).</summary>
    /// <param name="template">The pod template.</param>
    /// <returns>The data.</returns>
    public static JsonObject PatchOf(V1PodTemplateSpec? template)
    {
        var node = KubeJson.ToNode(template ?? new V1PodTemplateSpec()) as JsonObject ?? [];
        node["$patch"] = "replace";
        return (JsonObject)Canonical(new JsonObject { ["spec"] = new JsonObject { ["template"] = node } })!;
    }

    /// <summary>The template a revision restores, or <see langword="null"/> if its data holds none.</summary>
    /// <param name="revision">The revision.</param>
    /// <returns>The template.</returns>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (DataOf(revision)?["spec"]?["template"] is not JsonObject template)
        {
            return null;
        }

        var copy = (JsonObject)template.DeepClone();
        copy.Remove("$patch");
        return (V1PodTemplateSpec?)KubeJson.Deserialize(copy, typeof(V1PodTemplateSpec));
    }

    /// <summary>A revision's data as JSON (the client model holds it as an untyped object).</summary>
    /// <param name="revision">The revision.</param>
    /// <returns>The data, or <see langword="null"/>.</returns>
    public static JsonNode? DataOf(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return revision.Data switch
        {
            null => null,
            JsonNode node => node,
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            string text => JsonNode.Parse(text),
            var other => KubeJson.ToNode(other),
        };
    }

    /// <summary>Whether two revisions hold the same data (<c>EqualRevision</c>).</summary>
    /// <param name="a">One revision.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool Equal(V1ControllerRevision a, V1ControllerRevision b) =>
        JsonNode.DeepEquals(Canonical(DataOf(a)), Canonical(DataOf(b)));

    /// <summary>
    /// The hash of revision data and a collision count (<c>HashControllerRevision</c>): FNV-1a over the data and the
    /// count, written in decimal and encoded with the safe alphabet.
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="collisionCount">The StatefulSet's collision count.</param>
    /// <returns>The hash.</returns>
    public static string Hash(JsonNode data, int collisionCount)
    {
        ArgumentNullException.ThrowIfNull(data);
        var hash = 2166136261u;
        void Write(ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                hash = unchecked((hash ^ b) * 16777619u);
            }
        }

        Write(Encoding.UTF8.GetBytes(data.ToJsonString()));
        Span<byte> count = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(count, unchecked((uint)collisionCount));
        Write(count);
        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return string.Create(digits.Length, digits, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = SafeAlphabet[text[i] % SafeAlphabet.Length];
            }
        });
    }

    /// <summary>
    /// Makes the revision of a StatefulSet's template (<c>newRevision</c>): named <c>&lt;set&gt;-&lt;hash&gt;</c>, labelled
    /// with the template's labels and the hash, annotated with the set's annotations, controlled by the set.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="number">The revision number.</param>
    /// <param name="collisionCount">The collision count the hash takes in.</param>
    /// <returns>The revision, to be created.</returns>
    public static V1ControllerRevision NewRevision(V1StatefulSet sts, long number, int collisionCount)
    {
        ArgumentNullException.ThrowIfNull(sts);
        var data = PatchOf(sts.Spec?.Template);
        var hash = Hash(data, collisionCount);
        var labels = new Dictionary<string, string>(sts.Spec?.Template?.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [HashLabel] = hash,
        };
        return new V1ControllerRevision
        {
            ApiVersion = ResourceTypes.ControllerRevisions.ApiVersion,
            Kind = ResourceTypes.ControllerRevisions.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = RevisionName(sts.Metadata.Name, hash),
                NamespaceProperty = sts.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = sts.Metadata.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations, StringComparer.Ordinal) : null,
                OwnerReferences = [OwnerReferences.NewControllerRef(ResourceTypes.StatefulSets.ApiVersion, ResourceTypes.StatefulSets.Kind, sts.Metadata)],
            },
            Data = data,
            Revision = number,
        };
    }

    /// <summary>A revision's name (<c>ControllerRevisionName</c>): the set's name, cut to 223 characters, a dash and the hash.</summary>
    /// <param name="setName">The StatefulSet's name.</param>
    /// <param name="hash">The hash.</param>
    /// <returns>The name.</returns>
    public static string RevisionName(string setName, string hash)
    {
        ArgumentNullException.ThrowIfNull(setName);
        return (setName.Length > 223 ? setName[..223] : setName) + "-" + hash;
    }

    /// <summary>
    /// Decides the current and the update revision (<c>getStatefulSetRevisions</c>). The update revision is the
    /// template's: the newest revision if it holds the template; an older one that holds it, renumbered as the newest
    /// (a rollback); or a new one, numbered after the newest, whose hash takes in a collision count raised until its
    /// name is free or names an equal revision. The current revision is the one <c>status.currentRevision</c> names, or
    /// the update revision.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="owned">The revisions it controls.</param>
    /// <param name="taken">Every revision of its namespace, to see which names are taken.</param>
    /// <returns>The decision.</returns>
    public static RevisionPlan Resolve(V1StatefulSet sts, IReadOnlyList<V1ControllerRevision> owned, IReadOnlyList<V1ControllerRevision> taken)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(owned);
        ArgumentNullException.ThrowIfNull(taken);
        var history = Sort(owned);
        var collisionCount = sts.Status?.CollisionCount ?? 0;
        var next = history.Count == 0 ? 1 : (history[^1].Revision ?? 0) + 1;
        var candidate = NewRevision(sts, next, collisionCount);
        var equal = history.Where(r => Equal(r, candidate)).ToList();
        V1ControllerRevision update;
        var action = RevisionAction.None;
        if (equal.Count > 0 && ReferenceEquals(equal[^1], history[^1]))
        {
            update = history[^1];
        }
        else if (equal.Count > 0)
        {
            update = KubeJson.Clone(equal[^1]);
            update.Revision = next;
            action = RevisionAction.Renumber;
        }
        else
        {
            var byName = taken.ToDictionary(r => r.Metadata.Name, StringComparer.Ordinal);
            while (byName.TryGetValue(candidate.Metadata.Name, out var existing) && !Equal(existing, candidate))
            {
                collisionCount++;
                candidate = NewRevision(sts, next, collisionCount);
            }

            update = candidate;
            action = RevisionAction.Create;
        }

        var currentName = sts.Status?.CurrentRevision;
        var current = history.FirstOrDefault(r => r.Metadata.Name == currentName && r.Metadata.Name != update.Metadata.Name) ?? update;
        return new RevisionPlan(current, update, action, collisionCount);
    }

    /// <summary>
    /// The revisions to delete to keep <c>spec.revisionHistoryLimit</c> (<c>truncateHistory</c>): the oldest of those no
    /// pod, the current nor the update revision uses.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="owned">The revisions it controls.</param>
    /// <param name="pods">Its pods.</param>
    /// <param name="current">The current revision's name.</param>
    /// <param name="update">The update revision's name.</param>
    /// <returns>The revisions to delete, oldest first.</returns>
    public static IReadOnlyList<V1ControllerRevision> ToTrim(
        V1StatefulSet sts, IReadOnlyList<V1ControllerRevision> owned, IReadOnlyList<V1Pod> pods, string current, string update)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(pods);
        var live = new HashSet<string>(pods.Select(StatefulSetIdentity.RevisionOf), StringComparer.Ordinal) { current, update };
        var history = Sort(owned).Where(r => !live.Contains(r.Metadata.Name)).ToList();
        var limit = Math.Max(0, sts.Spec?.RevisionHistoryLimit ?? 10);
        return history.Count <= limit ? [] : history.Take(history.Count - limit).ToList();
    }

    /// <summary>Revisions by number, then name (<c>history.SortControllerRevisions</c>).</summary>
    /// <param name="revisions">The revisions.</param>
    /// <returns>The sorted list.</returns>
    public static IReadOnlyList<V1ControllerRevision> Sort(IEnumerable<V1ControllerRevision> revisions) =>
        [.. revisions.OrderBy(r => r.Revision ?? 0).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>A copy of JSON with every object's keys sorted, as Go's encoder writes a map.</summary>
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };
}
