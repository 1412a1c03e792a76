using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>
/// The API server's rules for Services (pkg/registry/core/service): defaults, validation, a DNS-1035 name, a ClusterIP
/// that an update may leave out (it is kept) but not change. The ClusterIP itself is given by the allocator, a write hook.
/// </summary>
public sealed class ServiceStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="ServiceStrategy"/> class.</summary>
    public ServiceStrategy()
        : base(ResourceTypes.Services)
    {
    }

    /// <inheritdoc />
    public override void Default(IKubernetesObject<V1ObjectMeta> obj) => ServiceDefaults.Apply((V1Service)obj);

    /// <inheritdoc />
    public override void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        base.PrepareForCreate(obj);
        ((V1Service)obj).Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() };
    }

    /// <inheritdoc />
    public override void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        base.PrepareForUpdate(obj, old);
        var service = (V1Service)obj;
        var stored = (V1Service)old;
        // An update that leaves the ClusterIP out keeps the allocated one (patchAllocatedValues), as kubectl apply expects.
        if (string.IsNullOrEmpty(service.Spec?.ClusterIP) && ServiceTypes.TypeOf(service) != ServiceTypes.ExternalName
            && stored.Spec?.ClusterIP is { Length: > 0 } ip)
        {
            service.Spec!.ClusterIP = ip;
            service.Spec.ClusterIPs = stored.Spec.ClusterIPs ?? [ip];
            service.Spec.IpFamilies ??= stored.Spec.IpFamilies;
            service.Spec.IpFamilyPolicy ??= stored.Spec.IpFamilyPolicy;
        }

        if (ServiceTypes.TypeOf(service) == ServiceTypes.ExternalName && ServiceTypes.TypeOf(stored) != ServiceTypes.ExternalName
            && service.Spec?.ClusterIP == stored.Spec?.ClusterIP)
        {
            // Turning into an ExternalName Service gives the address back.
            service.Spec!.ClusterIP = null;
            service.Spec.ClusterIPs = null;
            service.Spec.IpFamilies = null;
            service.Spec.IpFamilyPolicy = null;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. ServiceValidation.ValidateSpec((V1Service)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. ServiceValidation.ValidateUpdate((V1Service)obj, (V1Service)old)];

    /// <inheritdoc />
    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDns1035Label(name, prefix);
}
