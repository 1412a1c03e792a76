using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>
/// The API server's checks of ephemeral containers (pkg/apis/core/validation: <c>validateEphemeralContainers</c>,
/// <c>ValidatePodEphemeralContainersUpdate</c>): set only through the <c>ephemeralcontainers</c> subresource,
/// named uniquely among all the pod's containers, without the fields a troubleshooting container may not
/// have, and never changed or removed once added.
/// </summary>
public static class EphemeralContainerValidation
{
    /// <summary>The message of a field an ephemeral container may not set.</summary>
    public const string ForbiddenFieldMessage = "cannot be set for an Ephemeral Container";

    private const string Path = "spec.ephemeralContainers";

    /// <summary>Checks a pod being created: it may not have ephemeral containers yet.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateCreate(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec?.EphemeralContainers is { Count: > 0 } ? [FieldError.Forbidden(Path, "cannot be set on create")] : [];
    }

    /// <summary>Checks what a write to the <c>ephemeralcontainers</c> subresource would store.</summary>
    /// <param name="pod">The pod to store: the stored pod with the ephemeral containers sent.</param>
    /// <param name="old">The stored pod.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1Pod pod, V1Pod old)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        var spec = pod.Spec ?? new V1PodSpec();
        var names = new HashSet<string>(
            (spec.InitContainers ?? []).Concat(spec.Containers ?? []).Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)),
            StringComparer.Ordinal);
        var targets = new HashSet<string>(names, StringComparer.Ordinal);
        var volumes = new HashSet<string>((spec.Volumes ?? []).Select(v => v.Name), StringComparer.Ordinal);
        var i = 0;
        foreach (var container in spec.EphemeralContainers ?? [])
        {
            ValidateContainer(container, Path.Index(i++), names, targets, volumes, errors);
        }

        var sent = (spec.EphemeralContainers ?? []).Where(c => c.Name is not null).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var existing in old.Spec?.EphemeralContainers ?? [])
        {
            if (!sent.TryGetValue(existing.Name, out var now))
            {
                errors.Add(FieldError.Forbidden(Path, $"existing ephemeral containers {FieldError.GoQuote(existing.Name)} may not be removed\n"));
            }
            else if (KubeJson.Serialize(now) != KubeJson.Serialize(existing))
            {
                errors.Add(FieldError.Forbidden(Path.Child(existing.Name), $"existing ephemeral containers {FieldError.GoQuote(existing.Name)} may not be changed\n"));
            }
        }

        return errors;
    }

    private static void ValidateContainer(
        V1EphemeralContainer container, string at, HashSet<string> names, HashSet<string> targets, HashSet<string> volumes, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(container.Name))
        {
            errors.Add(FieldError.Required(at.Child("name")));
        }
        else
        {
            errors.AddRange(NameValidation.IsDns1123Label(container.Name).Select(m => FieldError.Invalid(at.Child("name"), container.Name, m)));
            if (!names.Add(container.Name))
            {
                errors.Add(FieldError.Duplicate(at.Child("name"), container.Name));
            }
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            errors.Add(FieldError.Required(at.Child("image")));
        }

        var forbidden = new (string Field, bool Set)[]
        {
            ("lifecycle", container.Lifecycle is not null),
            ("livenessProbe", container.LivenessProbe is not null),
            ("readinessProbe", container.ReadinessProbe is not null),
            ("startupProbe", container.StartupProbe is not null),
            ("ports", container.Ports is { Count: > 0 }),
            ("resources", container.Resources is { Limits.Count: > 0 } or { Requests.Count: > 0 } or { Claims.Count: > 0 }),
            ("resizePolicy", container.ResizePolicy is { Count: > 0 }),
            ("restartPolicy", container.RestartPolicy is not null),
        };
        errors.AddRange(forbidden.Where(f => f.Set).Select(f => FieldError.Forbidden(at.Child(f.Field), ForbiddenFieldMessage)));

        if (!string.IsNullOrEmpty(container.TargetContainerName) && !targets.Contains(container.TargetContainerName))
        {
            errors.Add(FieldError.NotFound(at.Child("targetContainerName"), container.TargetContainerName));
        }

        PodValidation.ValidateEnv(container.Env, at.Child("env"), errors);
        PodValidation.ValidateMounts(container.VolumeMounts, at.Child("volumeMounts"), volumes, errors);
        var m = 0;
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!string.IsNullOrEmpty(mount.SubPath) || !string.IsNullOrEmpty(mount.SubPathExpr))
            {
                errors.Add(FieldError.Forbidden(at.Child("volumeMounts").Index(m).Child(string.IsNullOrEmpty(mount.SubPath) ? "subPathExpr" : "subPath"), ForbiddenFieldMessage));
            }

            m++;
        }
    }
}
