using DurableKube.Domain.Networking;

namespace DurableKube.Registry.Services;

/// <summary>The service range ClusterIPs come from (configuration <c>Services__ClusterIPRange</c>, the apiserver's <c>--service-cluster-ip-range</c>).</summary>
/// <param name="Cidr">The range.</param>
public sealed record ServiceClusterIPRange(Ipv4Cidr Cidr)
{
    /// <summary>The configuration key.</summary>
    public const string ConfigurationKey = "Services:ClusterIPRange";

    /// <summary>The local host's default: a loopback range, so the local proxy can listen on every ClusterIP.</summary>
    public const string LocalDefault = "127.96.0.0/16";

    /// <summary>The Functions host's default (Kubernetes' usual range).</summary>
    public const string AzureDefault = "10.96.0.0/16";

    /// <summary>Gets the first address of the range, the <c>kubernetes</c> Service's.</summary>
    public string KubernetesServiceIP => Cidr.At(1).ToString();
}
