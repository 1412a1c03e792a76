using DurableKube.Api;
using DurableKube.Ports.Runtime;
using DurableKube.Registry;
using DurableKube.Registry.Services;
using DurableKube.Runtime.Aci;
using DurableKube.Runtime.Process;
using DurableKube.Store.AzureStorage;
using DurableKube.Workflows;
using DurableKube.Workflows.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DurableKube.Hosting;

/// <summary>Composes a DurableKube from configuration; both hosts call it, then add what only they do (their workflow engine).</summary>
public static class DurableKubeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the object store and work queue (Azure Storage), the container runtime chosen by
    /// <c>Runtime:Kind</c>, the workflows' services, the Kubernetes API and the ClusterIP allocator over
    /// <c>Services:ClusterIPRange</c> (default 127.96.0.0/16, a loopback range the local proxy can listen on) unless a host registered one.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException"><c>Runtime:Kind</c> names a runtime this build does not have.</exception>
    public static IServiceCollection AddDurableKube(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddAzureStorageObjectStore(configuration).AddChangeLogCompactor();
        if (!services.Any(d => d.ServiceType == typeof(ServiceClusterIPRange)))
        {
            services.AddClusterIPAllocator(configuration[ServiceClusterIPRange.ConfigurationKey] is { Length: > 0 } range ? range : ServiceClusterIPRange.LocalDefault);
        }

        services.AddContainerRuntime(configuration);
        services.AddDurableKubeWorkflows(configuration);
        services.AddKubernetesApi(configuration);
        return services;
    }

    /// <summary>
    /// Registers the nodes: the local node, whose runtime <c>Runtime:Kind</c> names (<c>none</c> for a control plane
    /// with no local node) and whose name, labels and taints the <c>Node</c> section gives; then one node per
    /// <c>Nodes:&lt;name&gt;</c> section, by its <c>Kind</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A kind is not one this build has.</exception>
    public static IServiceCollection AddContainerRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = configuration.GetSection(RuntimeOptions.Section).Get<RuntimeOptions>()?.Kind ?? RuntimeOptions.Process;
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        switch (kind.ToLowerInvariant())
        {
            case RuntimeOptions.Process:
                services.AddProcessContainerRuntime(configuration);
                services.AddNodeRuntime(sp =>
                {
                    var local = sp.GetRequiredService<IOptions<NodeOptions>>().Value;
                    return new NodeRuntime(local.Name, sp.GetRequiredService<IContainerRuntime>()) { Labels = local.Labels, Taints = local.ParseTaints() };
                });
                break;
            case RuntimeOptions.None:
                break;
            default:
                throw new InvalidOperationException(
                    $"Runtime:Kind is \"{kind}\", which this build does not have; it has: {string.Join(", ", RuntimeOptions.Kinds)}.");
        }

        foreach (var node in configuration.GetSection(NodesSection).GetChildren())
        {
            var nodeKind = node["Kind"] ?? string.Empty;
            switch (nodeKind.ToLowerInvariant())
            {
                case RuntimeOptions.Aci:
                    services.AddAciNode(node);
                    break;
                case RuntimeOptions.Process:
                    throw new InvalidOperationException(
                        $"Nodes:{node.Key}:Kind is \"process\": the local process node is the one Runtime:Kind=process makes, named by Node:Name.");
                default:
                    throw new InvalidOperationException(
                        $"Nodes:{node.Key}:Kind is \"{nodeKind}\", which this build does not have; a node of Nodes is \"{RuntimeOptions.Aci}\".");
            }
        }

        services.TryAddSingleton<INodeRuntimes, NodeRuntimes>();
        return services;
    }

    /// <summary>The configuration section whose children are the nodes beside the local one.</summary>
    public const string NodesSection = "Nodes";
}
