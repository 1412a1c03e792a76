using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for Pods (pkg/registry/core/pod/strategy.go).</summary>
public sealed class PodStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="PodStrategy"/> class.</summary>
    public PodStrategy()
        : base(ResourceTypes.Pods)
    {
    }

    /// <inheritdoc />
    public override bool ReturnsDeletedObject => true;

    /// <inheritdoc />
    public override void Default(IKubernetesObject<V1ObjectMeta> obj) => PodDefaults.Apply((V1Pod)obj);

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        base.PrepareForCreate(obj);
        var pod = (V1Pod)obj;
        PodDefaults.ApplyOnCreate(pod);
        pod.Status = new V1PodStatus { Phase = "Pending", QosClass = PodQos.Compute(pod) };
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. PodValidation.ValidateSpec((V1Pod)obj), .. EphemeralContainerValidation.ValidateCreate((V1Pod)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. PodValidation.ValidateSpec((V1Pod)obj), .. PodUpdateValidation.Validate((V1Pod)obj, (V1Pod)old)];

    /// <inheritdoc />
    public override IKubernetesObject<V1ObjectMeta> PrepareForStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var result = (V1Pod)base.PrepareForStatusUpdate(obj, old);
        result.Status ??= new V1PodStatus();
        return result;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        var phase = ((V1Pod)obj).Status?.Phase;
        var oldPhase = ((V1Pod)old).Status?.Phase;
        if (oldPhase is "Succeeded" or "Failed" && phase != oldPhase)
        {
            return [FieldError.Forbidden("status.phase", $"cannot transition from terminal phase {FieldError.GoQuote(oldPhase)} to {FieldError.GoQuote(phase ?? string.Empty)}")];
        }

        return phase is null or "" or "Pending" or "Running" or "Succeeded" or "Failed" or "Unknown"
            ? []
            : [FieldError.NotSupported("status.phase", phase, ["Failed", "Pending", "Running", "Succeeded", "Unknown"])];
    }

    /// <summary>
    /// Builds what a <c>binding</c> stores (pkg/registry/core/pod/storage, <c>assignPod</c>): the stored pod
    /// with <c>spec.nodeName</c> set to the node sent; a pod that is bound already, or being deleted,
    /// cannot be bound. A write to <c>ephemeralcontainers</c> stores the stored pod with the ephemeral
    /// containers sent, and nothing else of what was sent (<c>dropNonEphemeralContainerUpdates</c>).
    /// </summary>
    /// <param name="subresource">The subresource.</param>
    /// <param name="obj">A pod carrying the chosen node in <c>spec.nodeName</c>, or its ephemeral containers.</param>
    /// <param name="old">The stored pod.</param>
    /// <returns>The pod to store.</returns>
    /// <exception cref="ObjectRejectedException">The pod is bound already, or being deleted.</exception>
    public override IKubernetesObject<V1ObjectMeta> PrepareForSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(old);
        if (subresource == Subresource.EphemeralContainers.Name)
        {
            var updated = Serialization.KubeJson.Clone((V1Pod)old);
            updated.Spec.EphemeralContainers = ((V1Pod)obj).Spec?.EphemeralContainers;
            foreach (var ephemeral in updated.Spec.EphemeralContainers ?? [])
            {
                PodDefaults.ApplyEphemeral(ephemeral);
            }

            updated.Metadata.ResourceVersion = obj.Metadata?.ResourceVersion;
            return updated;
        }

        if (subresource != Subresource.Binding.Name)
        {
            return base.PrepareForSubresourceUpdate(subresource, obj, old);
        }

        var stored = (V1Pod)old;
        var node = ((V1Pod)obj).Spec?.NodeName;
        if (stored.Metadata.DeletionTimestamp is not null)
        {
            throw new ObjectRejectedException(RejectionReason.Conflict, Type, stored.Metadata.Name, $"pod {stored.Metadata.Name} is being deleted, cannot be assigned to a host");
        }

        if (!string.IsNullOrEmpty(stored.Spec?.NodeName))
        {
            throw new ObjectRejectedException(RejectionReason.Conflict, Type, stored.Metadata.Name, $"pod {stored.Metadata.Name} is already assigned to node \"{stored.Spec.NodeName}\"");
        }

        var result = Serialization.KubeJson.Clone(stored);
        result.Spec.NodeName = node;
        result.Metadata.ResourceVersion = obj.Metadata?.ResourceVersion;
        return result;
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateSubresourceUpdate(string subresource, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (subresource == Subresource.EphemeralContainers.Name)
        {
            return [.. PodValidation.ValidateSpec((V1Pod)obj), .. EphemeralContainerValidation.ValidateUpdate((V1Pod)obj, (V1Pod)old)];
        }

        if (subresource != Subresource.Binding.Name)
        {
            return base.ValidateSubresourceUpdate(subresource, obj, old);
        }

        var node = ((V1Pod)obj).Spec?.NodeName;
        return string.IsNullOrEmpty(node)
            ? [FieldError.Required("target.name")]
            : [.. NameValidation.NameIsDnsSubdomain(node, prefix: false).Select(m => FieldError.Invalid("target.name", node, m))];
    }

    /// <summary>
    /// A pod is deleted gracefully: with the request's grace, else its terminationGracePeriodSeconds;
    /// at once (0) if it was never bound to a node or has already finished.
    /// </summary>
    /// <param name="obj">The stored pod.</param>
    /// <param name="requestedGracePeriod">The request's grace period, if any.</param>
    /// <returns>The grace period in seconds.</returns>
    public override long? GracefulDeletePeriod(IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod)
    {
        var pod = (V1Pod)obj;
        var period = requestedGracePeriod ?? pod.Spec?.TerminationGracePeriodSeconds ?? 30;
        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            period = 0;
        }

        return period;
    }
}
