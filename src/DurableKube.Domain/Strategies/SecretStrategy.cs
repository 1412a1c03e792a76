using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for Secrets (pkg/registry/core/secret): <c>type</c> defaults to <c>Opaque</c> and never
/// changes; <c>stringData</c> is merged into <c>data</c> (its values win) and never stored, as the v1 conversion does;
/// the keys each type needs are checked; an immutable Secret keeps its data. Secrets have no spec and no generation.
/// </summary>
public sealed class SecretStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="SecretStrategy"/> class.</summary>
    public SecretStrategy()
        : base(ResourceTypes.Secrets)
    {
    }

    /// <inheritdoc />
    public override bool TracksGeneration => false;

    /// <inheritdoc />
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var secret = (V1Secret)obj;
        if (string.IsNullOrEmpty(secret.Type))
        {
            secret.Type = ConfigValidation.SecretTypes.Opaque;
        }

        MergeStringData(secret);
    }

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        base.PrepareForCreate(obj);
        MergeStringData((V1Secret)obj);
    }

    /// <inheritdoc />
    public override void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        base.PrepareForUpdate(obj, old);
        MergeStringData((V1Secret)obj);
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ConfigValidation.ValidateSecret((V1Secret)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. ConfigValidation.ValidateSecretUpdate((V1Secret)obj, (V1Secret)old)];

    /// <summary>Moves <c>stringData</c> into <c>data</c> (a key in both takes the <c>stringData</c> value), leaving <c>stringData</c> unset.</summary>
    /// <param name="secret">The Secret, changed in place.</param>
    public static void MergeStringData(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.StringData is { Count: > 0 } strings)
        {
            secret.Data ??= new Dictionary<string, byte[]>();
            foreach (var (key, value) in strings)
            {
                secret.Data[key] = System.Text.Encoding.UTF8.GetBytes(value ?? string.Empty);
            }
        }

        secret.StringData = null;
    }
}
