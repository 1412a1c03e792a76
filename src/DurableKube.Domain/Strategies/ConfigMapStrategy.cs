using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for ConfigMaps (pkg/registry/core/configmap): keys and size checked, and an immutable one
/// keeps its data. ConfigMaps have no spec and no generation.
/// </summary>
public sealed class ConfigMapStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="ConfigMapStrategy"/> class.</summary>
    public ConfigMapStrategy()
        : base(ResourceTypes.ConfigMaps)
    {
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ConfigValidation.ValidateConfigMap((V1ConfigMap)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. ConfigValidation.ValidateConfigMapUpdate((V1ConfigMap)obj, (V1ConfigMap)old)];
}
