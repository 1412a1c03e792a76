using System.Text.Json.Nodes;

namespace DurableKube.Domain.Patching;

/// <summary>
/// Applies a JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>, what <c>kubectl scale</c> and
/// <c>kubectl patch --type merge</c> send): objects merge recursively, <c>null</c> deletes a member, anything
/// else (arrays included) replaces the target value.
/// </summary>
public static class JsonMergePatch
{
    /// <summary>The Content-Type of a JSON merge patch.</summary>
    public const string ContentType = "application/merge-patch+json";

    /// <summary>Applies a merge patch given as JSON text.</summary>
    /// <param name="target">The document to patch; not modified.</param>
    /// <param name="patch">The patch document.</param>
    /// <returns>The patched document, a new tree.</returns>
    /// <exception cref="PatchException">The patch is not valid JSON (400).</exception>
    public static JsonNode? Apply(JsonNode? target, string patch) => Apply(target, JsonNodes.Parse(patch, "patch"));

    /// <summary>Applies a merge patch.</summary>
    /// <param name="target">The document to patch; not modified.</param>
    /// <param name="patch">The patch document; not modified.</param>
    /// <returns>The patched document, a new tree.</returns>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => MergePatch(target?.DeepClone(), patch);

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            result.TryGetPropertyValue(name, out var current);
            var merged = MergePatch(current, value);
            if (!ReferenceEquals(merged, current))
            {
                result[name] = merged;
            }
        }

        return result;
    }
}
