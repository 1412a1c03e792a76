using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>
/// The API server's rule that a pod's spec is all but immutable (<c>ValidatePodUpdate</c>): only
/// container and init container images, a shorter <c>activeDeadlineSeconds</c>, added tolerations
/// (or changed tolerationSeconds) and a negative <c>terminationGracePeriodSeconds</c> set to 1 may change.
/// </summary>
public static class PodUpdateValidation
{
    /// <summary>The fields a pod update may change, worded as in the API server's message.</summary>
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    /// <summary>Checks the spec of an updated pod against the stored one.</summary>
    /// <param name="pod">The new pod, defaulted.</param>
    /// <param name="old">The stored pod.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> Validate(V1Pod pod, V1Pod old)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        var spec = pod.Spec ?? new V1PodSpec();
        var oldSpec = old.Spec ?? new V1PodSpec();
        if (!ValidateContainerUpdates(spec.Containers, oldSpec.Containers, "spec.containers", errors)
            || !ValidateContainerUpdates(spec.InitContainers, oldSpec.InitContainers, "spec.initContainers", errors))
        {
            return errors;
        }

        if (spec.ActiveDeadlineSeconds is { } deadline)
        {
            if (deadline is < 0 or > int.MaxValue)
            {
                errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", deadline, NameValidation.InclusiveRangeError(0, int.MaxValue)));
                return errors;
            }

            if (oldSpec.ActiveDeadlineSeconds is { } oldDeadline && oldDeadline < deadline)
            {
                errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value"));
                return errors;
            }
        }
        else if (oldSpec.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
        }

        var tolerationsOk = OnlyAddedTolerations(spec.Tolerations, oldSpec.Tolerations);
        if (!tolerationsOk)
        {
            errors.Add(FieldError.Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
        }

        PodValidation.ValidateTolerations(spec.Tolerations, "spec.tolerations", errors);

        var oldNode = KubeJson.ToNode(oldSpec)!.AsObject();
        var munged = KubeJson.ToNode(spec)!.AsObject();
        if (JsonNode.DeepEquals(oldNode, munged))
        {
            return errors;
        }

        CopyImages(munged, oldNode, "containers");
        CopyImages(munged, oldNode, "initContainers");
        CopyField(munged, oldNode, "activeDeadlineSeconds");
        if (tolerationsOk)
        {
            CopyField(munged, oldNode, "tolerations");
        }

        if (oldSpec.TerminationGracePeriodSeconds < 0 && spec.TerminationGracePeriodSeconds == 1)
        {
            CopyField(munged, oldNode, "terminationGracePeriodSeconds");
        }

        if (!JsonNode.DeepEquals(oldNode, munged))
        {
            var diff = new StringBuilder();
            Diff("spec", oldNode, munged, diff);
            errors.Add(FieldError.Forbidden("spec", "pod updates may not change fields other than " + UpdatableFields + "\n" + diff));
        }

        return errors;
    }

    private static bool ValidateContainerUpdates(IList<V1Container>? containers, IList<V1Container>? old, string path, List<FieldError> errors)
    {
        if ((containers?.Count ?? 0) != (old?.Count ?? 0))
        {
            errors.Add(FieldError.Forbidden(path, "pod updates may not add or remove containers"));
            return false;
        }

        var i = 0;
        foreach (var container in containers ?? [])
        {
            var at = path.Index(i++).Child("image");
            if (string.IsNullOrEmpty(container.Image))
            {
                errors.Add(FieldError.Required(at));
            }
            else if (container.Image.Trim().Length != container.Image.Length)
            {
                errors.Add(FieldError.Invalid(at, container.Image, "must not have leading or trailing whitespace"));
            }
        }

        return true;
    }

    private static bool OnlyAddedTolerations(IList<V1Toleration>? tolerations, IList<V1Toleration>? old)
    {
        foreach (var previous in old ?? [])
        {
            var found = (tolerations ?? []).Any(t =>
                t.Key == previous.Key && (t.OperatorProperty ?? string.Empty) == (previous.OperatorProperty ?? string.Empty)
                && (t.Value ?? string.Empty) == (previous.Value ?? string.Empty) && (t.Effect ?? string.Empty) == (previous.Effect ?? string.Empty));
            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static void CopyImages(JsonObject target, JsonObject source, string list)
    {
        if (target[list] is JsonArray targets && source[list] is JsonArray sources && targets.Count == sources.Count)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                if (targets[i] is JsonObject t && sources[i] is JsonObject s)
                {
                    t["image"] = s["image"]?.DeepClone();
                }
            }
        }
    }

    private static void CopyField(JsonObject target, JsonObject source, string name)
    {
        target.Remove(name);
        if (source[name] is { } value)
        {
            target[name] = value.DeepClone();
        }
    }

    private static void Diff(string path, JsonNode? old, JsonNode? now, StringBuilder diff)
    {
        if (JsonNode.DeepEquals(old, now))
        {
            return;
        }

        if (old is JsonObject o && now is JsonObject n)
        {
            foreach (var key in o.Select(p => p.Key).Union(n.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Diff(path.Child(key), o[key], n[key], diff);
            }
        }
        else if (old is JsonArray oa && now is JsonArray na && oa.Count == na.Count)
        {
            for (var i = 0; i < oa.Count; i++)
            {
                Diff(path.Index(i), oa[i], na[i], diff);
            }
        }
        else
        {
            diff.Append("  ").Append(path).Append(": ")
                .Append(old?.ToJsonString() ?? "null").Append(" -> ").Append(now?.ToJsonString() ?? "null").Append('\n');
        }
    }
}
