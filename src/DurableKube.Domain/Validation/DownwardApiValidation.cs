using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>The API server's checks of an environment variable's <c>valueFrom</c> (<c>validateEnvVarValueFrom</c>).</summary>
public static class DownwardApiValidation
{
    /// <summary>The fields an environment variable may take from the pod (<c>validEnvDownwardAPIFieldPathExpressions</c>), sorted.</summary>
    public static readonly IReadOnlyList<string> EnvFieldPaths =
    [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
        "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    /// <summary>The resources an environment variable may take from a container (<c>validContainerResourceFieldPathExpressions</c>), sorted.</summary>
    public static readonly IReadOnlyList<string> ResourcePaths =
        ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

    private static readonly string[] CpuDivisors = ["1m", "1"];
    private static readonly string[] ByteDivisors = ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];

    /// <summary>Checks one <c>valueFrom</c>.</summary>
    /// <param name="from">The source.</param>
    /// <param name="path">Its field path, e.g. <c>spec.containers[0].env[1].valueFrom</c>.</param>
    /// <param name="hasValue">Whether the variable also has a <c>value</c>.</param>
    /// <param name="errors">Where errors go.</param>
    public static void ValidateEnvSource(V1EnvVarSource from, string path, bool hasValue, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(errors);
        var sources = (from.FieldRef is null ? 0 : 1) + (from.ResourceFieldRef is null ? 0 : 1) + (from.ConfigMapKeyRef is null ? 0 : 1) + (from.SecretKeyRef is null ? 0 : 1);
        if (sources == 0)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
            return;
        }

        if (sources > 1)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not have more than one field specified at a time"));
            return;
        }

        if (hasValue)
        {
            errors.Add(FieldError.Invalid(path, string.Empty, "may not be specified when `value` is not empty"));
        }

        if (from.FieldRef is { } field)
        {
            ValidateFieldRef(field, path.Child("fieldRef"), errors);
        }
        else if (from.ResourceFieldRef is { } resource)
        {
            ValidateResourceFieldRef(resource, path.Child("resourceFieldRef"), errors);
        }
    }

    private static void ValidateFieldRef(V1ObjectFieldSelector field, string path, List<FieldError> errors)
    {
        if (!string.IsNullOrEmpty(field.ApiVersion) && field.ApiVersion != "v1")
        {
            errors.Add(FieldError.NotSupported(path.Child("apiVersion"), field.ApiVersion, ["v1"]));
            return;
        }

        var fieldPath = field.FieldPath ?? string.Empty;
        if (fieldPath.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("fieldPath")));
            return;
        }

        var bracket = fieldPath.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            var prefix = fieldPath[..bracket];
            var subscript = fieldPath[bracket..];
            if (prefix is not ("metadata.labels" or "metadata.annotations") || !subscript.StartsWith("['", StringComparison.Ordinal) || !subscript.EndsWith("']", StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid(path.Child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported: " + fieldPath));
                return;
            }

            var key = subscript[2..^2];
            var problems = NameValidation.IsQualifiedName(prefix == "metadata.annotations" ? key.ToLowerInvariant() : key);
            errors.AddRange(problems.Select(m => FieldError.Invalid(path.Child("fieldPath"), fieldPath, m)));
            return;
        }

        if (fieldPath is "metadata.labels" or "metadata.annotations" || !EnvFieldPaths.Contains(fieldPath, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("fieldPath"), fieldPath, EnvFieldPaths.Where(p => p is not ("metadata.labels" or "metadata.annotations"))));
        }
    }

    private static void ValidateResourceFieldRef(V1ResourceFieldSelector resource, string path, List<FieldError> errors)
    {
        var name = resource.Resource ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("resource")));
            return;
        }

        if (!ResourcePaths.Contains(name, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("resource"), name, ResourcePaths));
            return;
        }

        if (resource.Divisor is not { } divisor)
        {
            return;
        }

        var text = divisor.ToString();
        var value = divisor.ToDecimal();
        if (name.EndsWith(".cpu", StringComparison.Ordinal))
        {
            if (value is not (0.001m or 1m))
            {
                errors.Add(FieldError.Invalid(path.Child("divisor"), text, "only divisor's values 1m and 1 are supported with the cpu resource"));
            }

            return;
        }

        var allowed = ByteDivisors.Select(d => new ResourceQuantity(d).ToDecimal()).ToHashSet();
        if (!allowed.Contains(value))
        {
            var what = name.EndsWith(".memory", StringComparison.Ordinal) ? "memory" : "local ephemeral storage";
            errors.Add(FieldError.Invalid(
                path.Child("divisor"),
                text,
                string.Create(CultureInfo.InvariantCulture, $"only divisor's values {string.Join(", ", ByteDivisors)} are supported with the {what} resource")));
        }
    }
}
