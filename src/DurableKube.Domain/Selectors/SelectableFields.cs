using System.Globalization;
using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Selectors;

/// <summary>
/// The fields each resource type can be selected by (the registries' <c>GetAttrs</c>/<c>ToSelectableFields</c>):
/// <c>metadata.name</c> for all, <c>metadata.namespace</c> for namespaced types, plus per-type fields.
/// Add a type by adding an entry to the table.
/// </summary>
public static class SelectableFields
{
    private static readonly Dictionary<string, Func<object, IEnumerable<(string Field, string? Value)>>> TypeFields = new(StringComparer.Ordinal)
    {
        [ResourceTypes.Pods.GroupResource] = o => PodFields((V1Pod)o),
        [ResourceTypes.Namespaces.GroupResource] = o => [("status.phase", ((V1Namespace)o).Status?.Phase), ("name", ((V1Namespace)o).Metadata?.Name)],
        [ResourceTypes.Nodes.GroupResource] = o => [("spec.unschedulable", (((V1Node)o).Spec?.Unschedulable ?? false) ? "true" : "false")],
    };

    /// <summary>Gets an object's selectable fields and their values.</summary>
    /// <param name="type">The object's type.</param>
    /// <param name="obj">The object.</param>
    /// <returns>The fields.</returns>
    public static IReadOnlyDictionary<string, string> Of(ResourceType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = obj.Metadata?.Name ?? string.Empty,
        };
        if (type.Namespaced)
        {
            fields["metadata.namespace"] = obj.Metadata?.NamespaceProperty ?? string.Empty;
        }

        if (TypeFields.TryGetValue(type.GroupResource, out var extra))
        {
            foreach (var (field, value) in extra(obj))
            {
                fields[field] = value ?? string.Empty;
            }
        }

        return fields;
    }

    /// <summary>Whether a type can be selected by a field.</summary>
    /// <param name="type">The type.</param>
    /// <param name="field">The field path.</param>
    /// <returns>Whether the field is supported.</returns>
    public static bool IsSupported(ResourceType type, string field)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Of(type, type.New()).ContainsKey(field);
    }

    /// <summary>
    /// Turns a field selector into a predicate over objects of a type, refusing fields the type
    /// cannot be selected by (<c>field label not supported: x</c>).
    /// </summary>
    /// <param name="type">The type.</param>
    /// <param name="selector">The selector.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="SelectorParseException">A field is not supported.</exception>
    public static Func<IKubernetesObject<V1ObjectMeta>, bool> Compile(ResourceType type, FieldSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        foreach (var requirement in selector.Requirements)
        {
            if (!IsSupported(type, requirement.Field))
            {
                throw new SelectorParseException("field label not supported: " + requirement.Field);
            }
        }

        return obj => selector.Matches(Of(type, obj));
    }

    private static IEnumerable<(string, string?)> PodFields(V1Pod pod)
    {
        yield return ("spec.nodeName", pod.Spec?.NodeName);
        yield return ("spec.restartPolicy", pod.Spec?.RestartPolicy);
        yield return ("spec.schedulerName", pod.Spec?.SchedulerName);
        yield return ("spec.serviceAccountName", pod.Spec?.ServiceAccountName);
        yield return ("spec.hostNetwork", (pod.Spec?.HostNetwork ?? false).ToString(CultureInfo.InvariantCulture).ToLowerInvariant());
        yield return ("status.phase", pod.Status?.Phase);
        yield return ("status.podIP", pod.Status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip : pod.Status?.PodIP);
        yield return ("status.nominatedNodeName", pod.Status?.NominatedNodeName);
    }
}
