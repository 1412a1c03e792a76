using DurableKube.Domain.Kinds;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Selectors;

/// <summary>
/// The fields objects of a kind can be selected by (the registries' <c>GetAttrs</c>/<c>ToSelectableFields</c>):
/// <c>metadata.name</c> for all, <c>metadata.namespace</c> for namespaced kinds, plus the kind's own
/// (<see cref="KindDescriptor.Fields"/>).
/// </summary>
public static class SelectableFields
{
    /// <summary>Gets an object's selectable fields and their values.</summary>
    /// <param name="kind">The object's kind.</param>
    /// <param name="obj">The object.</param>
    /// <returns>The fields.</returns>
    public static IReadOnlyDictionary<string, string> Of(KindDescriptor kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = obj.Metadata?.Name ?? string.Empty,
        };
        if (kind.Type.Namespaced)
        {
            fields["metadata.namespace"] = obj.Metadata?.NamespaceProperty ?? string.Empty;
        }

        foreach (var (field, value) in kind.Fields?.Invoke(obj) ?? [])
        {
            fields[field] = value ?? string.Empty;
        }

        return fields;
    }

    /// <summary>Whether a kind can be selected by a field.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="field">The field path.</param>
    /// <returns>Whether the field is supported.</returns>
    public static bool IsSupported(KindDescriptor kind, string field)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Of(kind, kind.Type.New()).ContainsKey(field);
    }

    /// <summary>
    /// Turns a field selector into a predicate over objects of a kind, refusing fields the kind
    /// cannot be selected by (<c>field label not supported: x</c>).
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <param name="selector">The selector.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="SelectorParseException">A field is not supported.</exception>
    public static Func<IKubernetesObject<V1ObjectMeta>, bool> Compile(KindDescriptor kind, FieldSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        foreach (var requirement in selector.Requirements)
        {
            if (!IsSupported(kind, requirement.Field))
            {
                throw new SelectorParseException("field label not supported: " + requirement.Field);
            }
        }

        return obj => selector.Matches(Of(kind, obj));
    }
}
