using DurableKube.Api;
using DurableKube.Hosting;
using DurableKube.Registry;
using DurableKube.Registry.Services;
using DurableKube.Workflows;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Probes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Hosting;

/// <summary>The Functions app's composition: the local host's (<see cref="DurableKubeServiceCollectionExtensions.AddDurableKube"/>) and what only this host does.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>The longest a watch lasts in this host unless configured: under the about 230 s after which Azure's front end cuts a response.</summary>
    public const int FunctionsMaxWatchTimeoutSeconds = 200;

    /// <summary>
    /// Registers everything <c>AddDurableKube</c> does, and the <see cref="NodeAgentStarter"/>: here the node agents
    /// are durable loops (<see cref="NodeAgentLoop"/>) that a pod's binding starts, not hosted services. The probers
    /// (<see cref="NodeProbers"/>) are a hosted service of the isolated worker, as in the local host: a probe's period is
    /// a second or more, which no durable timer or trigger should carry. Streaming subresources (exec, attach,
    /// port-forward) are not served: the host cannot upgrade a connection.
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
        services.AddHostedService<NodeProbers>();

        // The Functions host forwards no connection upgrade: exec, attach and port-forward answer a Status saying so.
        // Azure's front end cuts an HTTP response at about 230 s: the server ends each watch first (with a bookmark
        // when allowed) unless configured otherwise, and informers watch again from where it ended.
        services.PostConfigure<KubernetesApiOptions>(options =>
        {
            options.Streaming = false;
            options.MaxWatchTimeoutSeconds ??= FunctionsMaxWatchTimeoutSeconds;
        });
        return services;
    }
}
