using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for Leases (pkg/registry/coordination/lease, <c>ValidateLeaseSpec</c>): a positive duration,
/// a non-negative transition count. <c>strategy</c> and <c>preferredHolder</c> belong to coordinated leader election, a
/// feature gate that is off by default and not served here: they are dropped as the API server drops the fields of a
/// disabled gate. Leases have no status and no generation.
/// </summary>
public sealed class LeaseStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="LeaseStrategy"/> class.</summary>
    public LeaseStrategy()
        : base(ResourceTypes.Leases)
    {
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        base.PrepareForCreate(obj);
        DropCoordinatedLeaderElection((V1Lease)obj, null);
    }

    /// <inheritdoc />
    public override void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        base.PrepareForUpdate(obj, old);
        DropCoordinatedLeaderElection((V1Lease)obj, (V1Lease)old);
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ValidateSpec(((V1Lease)obj).Spec)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. ValidateSpec(((V1Lease)obj).Spec)];

    /// <summary>Checks a Lease's spec as <c>ValidateLeaseSpec</c> does.</summary>
    /// <param name="spec">The spec, or <see langword="null"/>.</param>
    /// <returns>The errors.</returns>
    public static IEnumerable<FieldError> ValidateSpec(V1LeaseSpec? spec)
    {
        if (spec?.LeaseDurationSeconds is <= 0)
        {
            yield return FieldError.Invalid("spec.leaseDurationSeconds", spec.LeaseDurationSeconds, "must be greater than 0");
        }

        if (spec?.LeaseTransitions is < 0)
        {
            yield return FieldError.Invalid("spec.leaseTransitions", spec.LeaseTransitions, "must be greater than or equal to 0");
        }
    }

    /// <summary>Drops the fields of coordinated leader election unless the stored Lease already uses them (<c>dropDisabledFields</c>).</summary>
    private static void DropCoordinatedLeaderElection(V1Lease lease, V1Lease? old)
    {
        if (lease.Spec is null || !string.IsNullOrEmpty(old?.Spec?.Strategy) || !string.IsNullOrEmpty(old?.Spec?.PreferredHolder))
        {
            return;
        }

        lease.Spec.Strategy = null;
        lease.Spec.PreferredHolder = null;
    }
}
