using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for ControllerRevisions (pkg/registry/apps/controllerrevision/strategy.go,
/// <c>ValidateControllerRevision</c>, <c>ValidateControllerRevisionUpdate</c>): <c>data</c> is required and may never
/// change; <c>revision</c> may not be negative (a controller renumbers a revision it rolls back to, so it may change).
/// </summary>
public sealed class ControllerRevisionStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="ControllerRevisionStrategy"/> class.</summary>
    public ControllerRevisionStrategy()
        : base(ResourceTypes.ControllerRevisions)
    {
    }

    /// <summary>Gets a value indicating whether the generation counts changes: a ControllerRevision has no spec, and none.</summary>
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ValidateRevision((V1ControllerRevision)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var revision = (V1ControllerRevision)obj;
        return
        [
            .. base.ValidateUpdate(obj, old),
            .. ValidateRevision(revision),
            .. FieldRules.Immutable(revision.Data, ((V1ControllerRevision)old).Data, "data"),
        ];
    }

    private static IEnumerable<FieldError> ValidateRevision(V1ControllerRevision revision)
    {
        if (revision.Data is null)
        {
            yield return FieldError.Required("data", "data is mandatory");
        }

        foreach (var error in FieldRules.NonNegative(revision.Revision, "revision"))
        {
            yield return error;
        }
    }
}
