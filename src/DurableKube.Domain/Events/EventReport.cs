using k8s;
using k8s.Models;

namespace DurableKube.Domain.Events;

/// <summary>
/// One event a component reports about an object, before correlation (what client-go's recorder's
/// <c>Eventf</c> is given): who reports it, about what, and its type, reason and message.
/// </summary>
/// <param name="Component">The reporting component, e.g. <c>kubelet</c>, <c>default-scheduler</c>, <c>replicaset-controller</c>.</param>
/// <param name="Host">The node the component runs on, for the kubelet; else <see langword="null"/>.</param>
/// <param name="Regarding">The object the event is about (with <c>fieldPath</c> for a container).</param>
/// <param name="Type"><c>Normal</c> or <c>Warning</c>.</param>
/// <param name="Reason">The reason, e.g. <c>Started</c>.</param>
/// <param name="Message">The message, e.g. <c>Started container app</c>.</param>
public sealed record EventReport(string Component, string? Host, V1ObjectReference Regarding, string Type, string Reason, string Message)
{
    /// <summary>The <c>Normal</c> event type.</summary>
    public const string Normal = "Normal";

    /// <summary>The <c>Warning</c> event type.</summary>
    public const string Warning = "Warning";

    /// <summary>Makes a reference to an object, as client-go's <c>reference.GetReference</c> does.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="fieldPath">The part of it, e.g. <c>spec.containers{app}</c>, if any.</param>
    /// <returns>The reference.</returns>
    public static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new V1ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            NamespaceProperty = obj.Metadata?.NamespaceProperty,
            Name = obj.Metadata?.Name,
            Uid = obj.Metadata?.Uid,
            ResourceVersion = obj.Metadata?.ResourceVersion,
            FieldPath = fieldPath,
        };
    }

    /// <summary>The field path of a container (<c>spec.containers{name}</c>, <c>spec.initContainers{name}</c>), as the kubelet names it in events.</summary>
    /// <param name="container">The container's name.</param>
    /// <param name="init">Whether it is an init container.</param>
    /// <returns>The field path.</returns>
    public static string ContainerPath(string container, bool init = false) =>
        init ? $"spec.initContainers{{{container}}}" : $"spec.containers{{{container}}}";
}
