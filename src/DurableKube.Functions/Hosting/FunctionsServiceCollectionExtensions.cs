using DurableKube.Hosting;
using DurableKube.Registry;
using DurableKube.Registry.Services;
using DurableKube.Workflows;
using DurableKube.Workflows.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Hosting;

/// <summary>The Functions app's composition: the local host's (<see cref="DurableKubeServiceCollectionExtensions.AddDurableKube"/>) and what only this host does.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything <c>AddDurableKube</c> does, and the <see cref="NodeAgentStarter"/>: here the node agents
    /// are durable loops (<see cref="NodeAgentLoop"/>) that a pod's binding starts, not hosted services.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDurableKubeFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // ClusterIPs are no machine's addresses in Azure: Kubernetes' usual range unless configured.
        services.AddClusterIPAllocator(configuration[ServiceClusterIPRange.ConfigurationKey] is { Length: > 0 } range ? range : ServiceClusterIPRange.AzureDefault);
        services.AddDurableKube(configuration);
        services.AddChangeHandler<NodeAgentStarter>();
        return services;
    }
}
