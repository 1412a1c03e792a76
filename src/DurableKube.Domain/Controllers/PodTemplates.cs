using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Controllers;

/// <summary>Making a controller's pods from its template (controller_utils.go, <c>GetPodFromTemplate</c>).</summary>
public static class PodTemplates
{
    /// <summary>
    /// Makes a new pod from a template: its labels, annotations and finalizers, a copy of its spec, the
    /// controller's reference, and a name generated from <c>&lt;controller&gt;-</c>.
    /// </summary>
    /// <param name="template">The template.</param>
    /// <param name="namespace">The controller's namespace.</param>
    /// <param name="controllerName">The controller's name, the prefix of the pod's name.</param>
    /// <param name="controllerRef">The controller reference the pod carries.</param>
    /// <returns>The pod, to be created.</returns>
    public static V1Pod NewPod(V1PodTemplateSpec template, string @namespace, string controllerName, V1OwnerReference controllerRef)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(controllerName);
        var copy = KubeJson.Clone(template);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = NamePrefix(controllerName),
                NamespaceProperty = @namespace,
                Labels = copy.Metadata?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = copy.Metadata?.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations) : null,
                Finalizers = copy.Metadata?.Finalizers is { Count: > 0 } finalizers ? [.. finalizers] : null,
                OwnerReferences = [controllerRef],
            },
            Spec = copy.Spec,
        };
    }

    /// <summary>The generateName of a controller's pods: <c>name-</c>, or the name alone if that would not be a valid prefix.</summary>
    /// <param name="controllerName">The controller's name.</param>
    /// <returns>The prefix.</returns>
    public static string NamePrefix(string controllerName)
    {
        ArgumentNullException.ThrowIfNull(controllerName);
        var prefix = controllerName + "-";
        return NameValidation.NameIsDnsSubdomain(prefix, prefix: true).Count == 0 ? prefix : controllerName;
    }
}
