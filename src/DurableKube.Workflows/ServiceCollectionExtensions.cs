using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Workflows;

/// <summary>Registers the workflows' services.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the activities, the change dispatcher and the options (sections <c>Kubelet</c>,
    /// <c>Node</c>, <c>Dispatcher</c>), validated at start-up. Hosts add the node agent and the queue
    /// reader as they run them, and an <see cref="Ports.Workflows.IWorkflowClient"/> of their own.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDurableKubeWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KubeletOptions>().Bind(configuration.GetSection(KubeletOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NodeOptions>().Bind(configuration.GetSection(NodeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DispatcherOptions>().Bind(configuration.GetSection(DispatcherOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<SyncPodActivity>();
        services.TryAddTransient<NamespaceActivities>();
        services.TryAddTransient<ChangeDispatcher>();
        return services;
    }
}
