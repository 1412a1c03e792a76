using System.Globalization;
using DurableKube.Domain.Controllers;
using k8s.Models;

namespace DurableKube.Domain.StatefulSets;

/// <summary>
/// A StatefulSet pod's stable identity (stateful_set_utils.go: <c>getPodName</c>, <c>getParentNameAndOrdinal</c>,
/// <c>initIdentity</c>, <c>identityMatches</c>): its name <c>&lt;set&gt;-&lt;ordinal&gt;</c>, the labels that name it and its
/// index, its hostname and subdomain.
/// </summary>
public static class StatefulSetIdentity
{
    /// <summary>The label that carries a StatefulSet pod's own name (for a Service per pod).</summary>
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary>The label that carries a StatefulSet pod's ordinal.</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    /// <summary>The label that names the ControllerRevision a pod was made from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The first ordinal (<c>spec.ordinals.start</c>, 0 by default).</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <returns>The ordinal.</returns>
    public static int StartOrdinal(V1StatefulSet sts) => sts?.Spec?.Ordinals?.Start ?? 0;

    /// <summary>The desired replicas (<c>spec.replicas</c>, 1 by default).</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <returns>The count.</returns>
    public static int Replicas(V1StatefulSet sts) => sts?.Spec?.Replicas ?? 1;

    /// <summary>The name of the pod of an ordinal: <c>&lt;set&gt;-&lt;ordinal&gt;</c>.</summary>
    /// <param name="setName">The StatefulSet's name.</param>
    /// <param name="ordinal">The ordinal.</param>
    /// <returns>The name.</returns>
    public static string PodName(string setName, int ordinal) => string.Create(CultureInfo.InvariantCulture, $"{setName}-{ordinal}");

    /// <summary>
    /// The ordinal of a pod of the set: its name is the set's name, a dash and a number (a pod of another set, or
    /// whose name does not end in a number, has none).
    /// </summary>
    /// <param name="setName">The StatefulSet's name.</param>
    /// <param name="podName">The pod's name.</param>
    /// <returns>The ordinal, or <see langword="null"/>.</returns>
    public static int? OrdinalOf(string setName, string? podName)
    {
        ArgumentNullException.ThrowIfNull(setName);
        if (podName is null || podName.Length <= setName.Length + 1 || !podName.StartsWith(setName, StringComparison.Ordinal) || podName[setName.Length] != '-')
        {
            return null;
        }

        var digits = podName.AsSpan(setName.Length + 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return null;
            }
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : null;
    }

    /// <summary>The ControllerRevision a pod was made from (its <see cref="RevisionLabel"/>), or empty.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The revision's name.</returns>
    public static string RevisionOf(V1Pod pod) =>
        pod?.Metadata?.Labels?.TryGetValue(RevisionLabel, out var revision) == true ? revision : string.Empty;

    /// <summary>
    /// Makes the pod of an ordinal from a template (<c>newStatefulSetPod</c>, <c>setPodRevision</c>): the template's
    /// labels and annotations, the identity labels, the revision label, hostname and subdomain, and the controller reference.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="template">The template of the pod's revision (the current or the update revision's).</param>
    /// <param name="ordinal">The ordinal.</param>
    /// <param name="revisionName">The revision's name.</param>
    /// <param name="controllerRef">The controller reference.</param>
    /// <returns>The pod, to be created.</returns>
    public static V1Pod NewPod(V1StatefulSet sts, V1PodTemplateSpec template, int ordinal, string revisionName, V1OwnerReference controllerRef)
    {
        ArgumentNullException.ThrowIfNull(sts);
        var pod = PodTemplates.NewPod(template, sts.Metadata.NamespaceProperty, sts.Metadata.Name, controllerRef);
        pod.Metadata.GenerateName = null;
        pod.Metadata.Name = PodName(sts.Metadata.Name, ordinal);
        pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [RevisionLabel] = revisionName,
        };
        ApplyIdentity(sts, pod, ordinal);
        return pod;
    }

    /// <summary>Whether a pod carries the identity of its ordinal (<c>identityMatches</c>): its name and its pod-name label.</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="pod">One of its pods.</param>
    /// <returns>Whether it does.</returns>
    public static bool IdentityMatches(V1StatefulSet sts, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata?.Labels;
        return OrdinalOf(sts.Metadata.Name, pod.Metadata?.Name) is { } ordinal
            && labels?.TryGetValue(PodNameLabel, out var name) == true && name == pod.Metadata!.Name
            && labels.TryGetValue(PodIndexLabel, out var index) && index == ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Gives a pod the labels of its identity (<c>updateIdentity</c>); on a new pod also its hostname and subdomain,
    /// which a pod's update may not change.
    /// </summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="pod">The pod, changed in place.</param>
    /// <param name="ordinal">Its ordinal.</param>
    public static void ApplyIdentity(V1StatefulSet sts, V1Pod pod, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentNullException.ThrowIfNull(pod);
        var labels = pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        labels[PodNameLabel] = pod.Metadata.Name;
        labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
        if (pod.Metadata.Uid is null && pod.Spec is { } spec)
        {
            spec.Hostname = pod.Metadata.Name;
            spec.Subdomain = string.IsNullOrEmpty(sts.Spec?.ServiceName) ? null : sts.Spec.ServiceName;
        }
    }
}
