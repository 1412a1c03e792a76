using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> of a Deployment's pod template (pkg/controller/controller_utils.go <c>ComputeHash</c>):
/// a 32-bit FNV-1a hash of the template, then of the collision count when there is one, written as its decimal digits
/// mapped into Kubernetes' safe alphabet (apimachinery <c>rand.SafeEncodeString</c>: no vowels, no 0, 1 or 3, so no
/// words and nothing to misread). Kubernetes hashes Go's dump of the template; this hashes its canonical JSON (keys
/// sorted), so the same template gets a hash of the same form, stable across restarts, but not the same digits.
/// </summary>
public static class PodTemplateHash
{
    /// <summary>The alphabet of the hash (<c>rand.SafeEncodeString</c>).</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>Computes the hash of a template.</summary>
    /// <param name="template">The Deployment's pod template (without the hash label).</param>
    /// <param name="collisionCount">The Deployment's <c>status.collisionCount</c>, or <see langword="null"/>.</param>
    /// <returns>The hash, e.g. <c>5d59d67564</c>-like: up to ten characters of <see cref="Alphabet"/>.</returns>
    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        ArgumentNullException.ThrowIfNull(template);
        var hash = Fnv1a(FnvOffset, Encoding.UTF8.GetBytes(CanonicalJson(KubeJson.ToNode(template))));
        if (collisionCount is { } count)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, unchecked((uint)count));
            hash = Fnv1a(hash, bytes);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Maps every character into <see cref="Alphabet"/> by its code (<c>rand.SafeEncodeString</c>).</summary>
    /// <param name="text">The text, e.g. the hash's decimal digits.</param>
    /// <returns>The encoded text, as long as the input.</returns>
    public static string SafeEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Alphabet[source[i] % Alphabet.Length];
            }
        });
    }

    /// <summary>
    /// Whether two templates are the same but for the <c>pod-template-hash</c> label (<c>EqualIgnoreHash</c>): how the
    /// controller finds a Deployment's new ReplicaSet, and how <c>kubectl rollout undo</c> finds a revision's.
    /// </summary>
    /// <param name="a">One template.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        JsonNode.DeepEquals(WithoutHash(a), WithoutHash(b));

    private static JsonNode? WithoutHash(V1PodTemplateSpec? template)
    {
        var node = KubeJson.ToNode(template ?? new V1PodTemplateSpec());
        if (node?["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject labels)
        {
            labels.Remove(DeploymentAnnotations.PodTemplateHashLabel);
            if (labels.Count == 0)
            {
                metadata.Remove("labels");
            }
        }

        return node;
    }

    private static uint Fnv1a(uint hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash = unchecked(hash * FnvPrime);
        }

        return hash;
    }

    /// <summary>JSON with every object's keys in ordinal order, so equal templates hash alike whatever order they came in.</summary>
    private static string CanonicalJson(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first ? string.Empty : ",").Append(JsonValue.Create(key).ToJsonString()).Append(':');
                    Write(value, builder);
                    first = false;
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i > 0 ? "," : string.Empty);
                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
