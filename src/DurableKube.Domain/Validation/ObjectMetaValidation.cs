using System.Text;
using k8s.Models;

namespace DurableKube.Domain.Validation;

/// <summary>The API server's checks of <c>metadata</c> on create and update (apimachinery's <c>ValidateObjectMeta</c>).</summary>
public static class ObjectMetaValidation
{
    /// <summary>The most bytes all annotations of an object may hold together (256 KiB).</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <summary>Checks metadata on create.</summary>
    /// <param name="meta">The metadata.</param>
    /// <param name="namespaced">Whether the type lives in a namespace.</param>
    /// <param name="nameValidator">The type's name rule, e.g. <see cref="NameValidation.NameIsDnsSubdomain"/>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> Validate(V1ObjectMeta meta, bool namespaced, Func<string, bool, IReadOnlyList<string>> nameValidator)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(nameValidator);
        var errors = new List<FieldError>();
        const string path = "metadata";
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            errors.AddRange(nameValidator(meta.GenerateName, true).Select(m => FieldError.Invalid(path.Child("generateName"), meta.GenerateName, m)));
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            errors.Add(FieldError.Required(path.Child("name"), "name or generateName is required"));
        }
        else
        {
            errors.AddRange(nameValidator(meta.Name, false).Select(m => FieldError.Invalid(path.Child("name"), meta.Name, m)));
        }

        if (namespaced)
        {
            if (string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                errors.Add(FieldError.Required(path.Child("namespace")));
            }
            else
            {
                errors.AddRange(NameValidation.NameIsDnsLabel(meta.NamespaceProperty, false)
                    .Select(m => FieldError.Invalid(path.Child("namespace"), meta.NamespaceProperty, m)));
            }
        }
        else if (!string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            errors.Add(FieldError.Forbidden(path.Child("namespace"), "not allowed on this type"));
        }

        errors.AddRange(ValidateCommon(meta, path));
        return errors;
    }

    /// <summary>Checks metadata on update: identity fields are immutable, and labels etc. are valid.</summary>
    /// <param name="meta">The new metadata.</param>
    /// <param name="old">The stored metadata.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1ObjectMeta meta, V1ObjectMeta old)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        const string path = "metadata";
        Immutable(errors, meta.Name, old.Name, path.Child("name"));
        Immutable(errors, meta.NamespaceProperty, old.NamespaceProperty, path.Child("namespace"));
        Immutable(errors, meta.Uid, old.Uid, path.Child("uid"));
        Immutable(errors, meta.CreationTimestamp, old.CreationTimestamp, path.Child("creationTimestamp"));
        Immutable(errors, meta.DeletionTimestamp, old.DeletionTimestamp, path.Child("deletionTimestamp"));
        Immutable(errors, meta.DeletionGracePeriodSeconds, old.DeletionGracePeriodSeconds, path.Child("deletionGracePeriodSeconds"));
        errors.AddRange(ValidateCommon(meta, path));
        if (old.DeletionTimestamp is not null)
        {
            var added = (meta.Finalizers ?? []).Except(old.Finalizers ?? [], StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldError.Forbidden(path.Child("finalizers"),
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{" + string.Join(", ", added.Select(FieldError.GoQuote)) + "}"));
            }
        }

        return errors;
    }

    /// <summary>The checks create and update share: generation, labels, annotations, finalizers, owner references.</summary>
    private static IEnumerable<FieldError> ValidateCommon(V1ObjectMeta meta, string path)
    {
        if (meta.Generation < 0)
        {
            yield return FieldError.Invalid(path.Child("generation"), meta.Generation, "must be greater than or equal to 0");
        }

        foreach (var error in ValidateLabels(meta.Labels, path.Child("labels"))
            .Concat(ValidateAnnotations(meta.Annotations, path.Child("annotations")))
            .Concat(ValidateFinalizers(meta.Finalizers, path.Child("finalizers")))
            .Concat(ValidateOwnerReferences(meta.OwnerReferences, path.Child("ownerReferences"))))
        {
            yield return error;
        }
    }

    /// <summary>Checks label keys (qualified names) and values.</summary>
    /// <param name="labels">The labels.</param>
    /// <param name="path">The field path, e.g. <c>metadata.labels</c>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateLabels(IDictionary<string, string>? labels, string path)
    {
        var errors = new List<FieldError>();
        foreach (var (key, value) in (labels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errors.AddRange(NameValidation.IsQualifiedName(key).Select(m => FieldError.Invalid(path, key, m)));
            errors.AddRange(NameValidation.IsValidLabelValue(value ?? string.Empty).Select(m => FieldError.Invalid(path, value, m)));
        }

        return errors;
    }

    /// <summary>Checks annotation keys (qualified names, compared lower-cased) and their total size.</summary>
    /// <param name="annotations">The annotations.</param>
    /// <param name="path">The field path, e.g. <c>metadata.annotations</c>.</param>
    /// <returns>The errors.</returns>
    public static IReadOnlyList<FieldError> ValidateAnnotations(IDictionary<string, string>? annotations, string path)
    {
        var errors = new List<FieldError>();
        long size = 0;
        foreach (var (key, value) in (annotations ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errors.AddRange(NameValidation.IsQualifiedName(key.ToLowerInvariant()).Select(m => FieldError.Invalid(path, key, m)));
            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? string.Empty);
        }

        if (size > TotalAnnotationSizeLimit)
        {
            errors.Add(FieldError.TooLong(path, TotalAnnotationSizeLimit));
        }

        return errors;
    }

    private static List<FieldError> ValidateFinalizers(IList<string>? finalizers, string path)
    {
        var errors = new List<FieldError>();
        foreach (var finalizer in finalizers ?? [])
        {
            errors.AddRange(NameValidation.IsQualifiedName(finalizer ?? string.Empty).Select(m => FieldError.Invalid(path, finalizer, m)));
        }

        if (finalizers?.Contains(Deletion.DeletionPropagation.OrphanFinalizer) == true && finalizers.Contains(Deletion.DeletionPropagation.ForegroundFinalizer))
        {
            errors.Add(FieldError.Invalid(path, finalizers, $"finalizer {Deletion.DeletionPropagation.OrphanFinalizer} and {Deletion.DeletionPropagation.ForegroundFinalizer} cannot be both set"));
        }

        return errors;
    }

    private static List<FieldError> ValidateOwnerReferences(IList<V1OwnerReference>? references, string path)
    {
        var errors = new List<FieldError>();
        var controllers = 0;
        foreach (var reference in references ?? [])
        {
            if (string.IsNullOrEmpty(reference.ApiVersion))
            {
                errors.Add(FieldError.Invalid(path.Child("apiVersion"), reference.ApiVersion ?? string.Empty, "version must not be empty"));
            }

            if (string.IsNullOrEmpty(reference.Kind))
            {
                errors.Add(FieldError.Invalid(path.Child("kind"), reference.Kind ?? string.Empty, "kind must not be empty"));
            }

            if (string.IsNullOrEmpty(reference.Name))
            {
                errors.Add(FieldError.Invalid(path.Child("name"), reference.Name ?? string.Empty, "name must not be empty"));
            }

            if (string.IsNullOrEmpty(reference.Uid))
            {
                errors.Add(FieldError.Invalid(path.Child("uid"), reference.Uid ?? string.Empty, "uid must not be empty"));
            }

            if (reference.Controller == true)
            {
                controllers++;
            }
        }

        if (controllers > 1)
        {
            errors.Add(FieldError.Invalid(path, references, "Only one reference can have Controller set to true"));
        }

        return errors;
    }

    private static void Immutable<T>(List<FieldError> errors, T value, T old, string path)
    {
        if (!EqualityComparer<T>.Default.Equals(value, old))
        {
            errors.Add(FieldError.Invalid(path, value is DateTime d ? d.ToString("yyyy-MM-dd HH:mm:ss +0000 UTC", System.Globalization.CultureInfo.InvariantCulture) : value, "field is immutable"));
        }
    }
}
