using DurableKube.Domain.Kinds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Registry;

/// <summary>Registers the kinds and the one write path.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers kinds: each descriptor is a service, and the <see cref="KindRegistry"/> is built from all
    /// of them on first use (so a conflict between two kinds fails at start-up).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="kinds">The descriptors to add.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddKinds(this IServiceCollection services, IEnumerable<KindDescriptor> kinds)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(kinds);
        foreach (var kind in kinds)
        {
            services.AddSingleton(kind);
        }

        services.TryAddSingleton(sp => new KindRegistry(sp.GetServices<KindDescriptor>()));
        return services;
    }

    /// <summary>
    /// Registers the <see cref="ObjectRegistry"/> over the host's <see cref="Ports.Store.IObjectStore"/>,
    /// with the built-in kinds (<see cref="BuiltInKinds"/>) unless kinds were registered already. Write hooks
    /// are added as <see cref="IWriteHook"/> services.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddObjectRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(KindDescriptor)))
        {
            services.AddKinds(BuiltInKinds.All);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ObjectRegistry>();
        return services;
    }

    /// <summary>
    /// Registers the ClusterIP allocator (a write hook) over a service range; a host calls it once with its range
    /// (<c>Services__ClusterIPRange</c>, or the host's default).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="range">The range in CIDR notation.</param>
    /// <returns>The services.</returns>
    /// <exception cref="FormatException">The range is not an IPv4 CIDR.</exception>
    public static IServiceCollection AddClusterIPAllocator(this IServiceCollection services, string range)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(range);
        services.AddSingleton(new Services.ServiceClusterIPRange(Domain.Networking.Ipv4Cidr.Parse(range)));
        services.TryAddSingleton<Services.ClusterIPAllocator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWriteHook, Services.ClusterIPAllocator>(sp => sp.GetRequiredService<Services.ClusterIPAllocator>()));
        return services;
    }
}
