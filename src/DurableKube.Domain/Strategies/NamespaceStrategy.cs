using DurableKube.Domain.Deletion;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for Namespaces (pkg/registry/core/namespace): the <c>kubernetes</c> spec
/// finalizer on create, the <c>kubernetes.io/metadata.name</c> label, and deletion that marks the
/// namespace Terminating and leaves the emptying to a workflow.
/// </summary>
public sealed class NamespaceStrategy : ObjectStrategy
{
    /// <summary>The label every namespace carries with its own name.</summary>
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>The spec finalizer that holds a namespace until its content is gone.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The namespaces every cluster has, created at start-up and never deleted.</summary>
    public static readonly IReadOnlyList<string> SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Initializes a new instance of the <see cref="NamespaceStrategy"/> class.</summary>
    public NamespaceStrategy()
        : base(ResourceTypes.Namespaces)
    {
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override bool ReturnsDeletedObject => true;

    /// <inheritdoc />
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (!string.IsNullOrEmpty(obj.Metadata?.Name))
        {
            obj.Metadata.Labels ??= new Dictionary<string, string>();
            obj.Metadata.Labels[NameLabel] = obj.Metadata.Name;
        }
    }

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        base.PrepareForCreate(obj);
        var ns = (V1Namespace)obj;
        ns.Status = new V1NamespaceStatus { Phase = "Active" };
        ns.Spec ??= new V1NamespaceSpec();
        ns.Spec.Finalizers ??= [];
        if (!ns.Spec.Finalizers.Contains(KubernetesFinalizer))
        {
            ns.Spec.Finalizers.Add(KubernetesFinalizer);
        }
    }

    /// <inheritdoc />
    public override void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        base.PrepareForUpdate(obj, old);
        ((V1Namespace)obj).Spec = ((V1Namespace)old).Spec;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ValidateFinalizers((V1Namespace)obj)];

    /// <summary>
    /// Builds what a write to the <c>finalize</c> subresource stores: the stored namespace with the new
    /// spec finalizers (the only way to change them).
    /// </summary>
    /// <param name="subresource">The subresource.</param>
    /// <param name="obj">The namespace sent.</param>
    /// <param name="old">The stored namespace.</param>
    /// <returns>The namespace to store.</returns>
    public override IKubernetesObject<V1ObjectMeta> PrepareForSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        if (subresource != Subresource.Finalize.Name)
        {
            return base.PrepareForSubresourceUpdate(subresource, obj, old);
        }

        var result = Serialization.KubeJson.Clone((V1Namespace)old);
        result.Spec ??= new V1NamespaceSpec();
        result.Spec.Finalizers = ((V1Namespace)obj).Spec?.Finalizers is { } finalizers ? [.. finalizers] : null;
        result.Metadata.ResourceVersion = obj.Metadata?.ResourceVersion;
        return result;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        subresource == Subresource.Finalize.Name ? Validate(obj) : base.ValidateSubresourceUpdate(subresource, obj, old);

    /// <summary>The system namespaces may not be deleted (the NamespaceLifecycle admission plugin).</summary>
    /// <param name="obj">The stored namespace.</param>
    /// <returns>The reason, for a system namespace.</returns>
    public override string? RefuseDelete(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return SystemNamespaces.Contains(obj.Metadata?.Name) ? "this namespace may not be deleted" : null;
    }

    /// <summary>Namespaces are emptied by their own controller, which deletes what they hold; no propagation finalizers.</summary>
    public override bool PropagatesDeletion => false;

    /// <inheritdoc />
    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDnsLabel(name, prefix);

    /// <inheritdoc />
    public override bool HasPendingFinalizers(IKubernetesObject<V1ObjectMeta> obj) =>
        base.HasPendingFinalizers(obj) || ((V1Namespace)obj).Spec?.Finalizers is { Count: > 0 };

    /// <inheritdoc />
    public override bool ShouldDeleteDuringUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        return old.Metadata.DeletionTimestamp is not null && !HasPendingFinalizers(obj) && HasPendingFinalizers(old);
    }

    /// <summary>
    /// The first delete marks the namespace (deletionTimestamp, phase Terminating); it is removed
    /// once no finalizer, spec or metadata, holds it.
    /// </summary>
    /// <param name="obj">A copy of the stored namespace.</param>
    /// <param name="requestedGracePeriod">Ignored: namespaces have no grace period.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The action.</returns>
    public override DeletionAction PlanDelete(IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = (V1Namespace)obj;
        if (ns.Metadata.DeletionTimestamp is null)
        {
            ns.Metadata.DeletionTimestamp = GracefulDeletion.Truncate(now);
            ns.Status ??= new V1NamespaceStatus();
            ns.Status.Phase = "Terminating";
            return HasPendingFinalizers(ns) ? DeletionAction.Update : DeletionAction.UpdateThenRemove;
        }

        return HasPendingFinalizers(ns) ? DeletionAction.Unchanged : DeletionAction.Remove;
    }

    private static List<FieldError> ValidateFinalizers(V1Namespace ns)
    {
        var errors = new List<FieldError>();
        foreach (var finalizer in ns.Spec?.Finalizers ?? [])
        {
            var messages = NameValidation.IsQualifiedName(finalizer ?? string.Empty);
            errors.AddRange(messages.Select(m => FieldError.Invalid("spec.finalizers", finalizer, m)));
            if (messages.Count == 0 && finalizer != KubernetesFinalizer && !finalizer!.Contains('/', StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid("spec.finalizers", finalizer, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }

        return errors;
    }
}
