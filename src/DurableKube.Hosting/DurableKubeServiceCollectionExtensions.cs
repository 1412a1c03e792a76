using DurableKube.Api;
using DurableKube.Ports.Runtime;
using DurableKube.Registry;
using DurableKube.Registry.Services;
using DurableKube.Runtime.Aci;
using DurableKube.Runtime.Docker;
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
        var asked = configuration.GetSection(RuntimeOptions.Section).Get<RuntimeOptions>()?.Kind ?? RuntimeOptions.Auto;
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var choice = ChooseLocalRuntime(asked, configuration);
        services.AddSingleton(choice);
        var localName = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>()?.Name ?? new NodeOptions().Name;
        switch (choice.Kind)
        {
            case RuntimeOptions.Process:
                services.AddProcessContainerRuntime(configuration);
                AddLocalNode(services);
                break;
            case RuntimeOptions.Docker:
                services.AddDockerContainerRuntime(configuration, localName);
                AddLocalNode(services);
                break;
            case RuntimeOptions.None:
                break;
            default:
                throw new InvalidOperationException(
                    $"Runtime:Kind is \"{asked}\", which this build does not have; it has: {string.Join(", ", RuntimeOptions.Kinds)}.");
        }

        foreach (var node in configuration.GetSection(NodesSection).GetChildren())
        {
            var nodeKind = node["Kind"] ?? string.Empty;
            switch (nodeKind.ToLowerInvariant())
            {
                case RuntimeOptions.Aci:
                    services.AddAciNode(node);
                    break;
                case RuntimeOptions.Docker:
                    AddDockerNode(services, node);
                    break;
                case RuntimeOptions.Process:
                    throw new InvalidOperationException(
                        $"Nodes:{node.Key}:Kind is \"process\": the local process node is the one Runtime:Kind=process makes, named by Node:Name.");
                default:
                    throw new InvalidOperationException(
                        $"Nodes:{node.Key}:Kind is \"{nodeKind}\", which this build does not have; a node of Nodes is \"{RuntimeOptions.Aci}\" or \"{RuntimeOptions.Docker}\".");
            }
        }

        services.TryAddSingleton<INodeRuntimes, NodeRuntimes>();
        return services;
    }

    /// <summary>
    /// Decides the local node's runtime: the one named, or for <c>auto</c> Docker when an engine answers on
    /// <c>Runtime:Docker:Endpoint</c> (default <c>unix:///var/run/docker.sock</c>) and the process runtime otherwise.
    /// </summary>
    /// <param name="asked">The configured <c>Runtime:Kind</c>.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The choice; its kind is the asked one, lower-cased, when that is not <c>auto</c>.</returns>
    public static LocalRuntimeChoice ChooseLocalRuntime(string asked, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = asked.Trim().ToLowerInvariant();
        if (kind != RuntimeOptions.Auto)
        {
            return new LocalRuntimeChoice(kind, $"Runtime:Kind is \"{asked}\"");
        }

        var endpoint = configuration[$"{DockerRuntimeOptions.SectionName}:Endpoint"] is { Length: > 0 } configured ? configured : DockerRuntimeOptions.DefaultEndpoint;
        return DockerEngineProbe.Answers(endpoint, TimeSpan.FromSeconds(2))
            ? new LocalRuntimeChoice(RuntimeOptions.Docker, $"Runtime:Kind is auto and a Docker engine answers on {endpoint}")
            : new LocalRuntimeChoice(RuntimeOptions.Process, $"Runtime:Kind is auto and no Docker engine answers on {endpoint}");
    }

    private static void AddLocalNode(IServiceCollection services) =>
        services.AddNodeRuntime(sp =>
        {
            var local = sp.GetRequiredService<IOptions<NodeOptions>>().Value;
            return new NodeRuntime(local.Name, sp.GetRequiredService<IContainerRuntime>()) { Labels = local.Labels, Taints = local.ParseTaints(), MaxPods = local.MaxPods };
        });

    /// <summary>A Docker node of the Nodes section: its own engine endpoint and state folder, its name on its containers.</summary>
    private static void AddDockerNode(IServiceCollection services, IConfigurationSection node)
    {
        var options = new DockerRuntimeOptions { Root = Path.Combine(".run", $"docker-{node.Key}") };
        node.Bind(options);
        options.NodeName = node.Key;
        var labels = node.GetSection("Labels").Get<Dictionary<string, string>>() ?? [];
        var nodeOptions = new NodeOptions { Name = node.Key, MaxPods = node.GetValue<int?>(nameof(NodeOptions.MaxPods)) };
        nodeOptions.Taints.AddRange(node.GetSection("Taints").Get<List<string>>() ?? []);
        services.AddNodeRuntime(sp => new NodeRuntime(
            node.Key,
            new DockerContainerRuntime(Options.Create(options), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DockerContainerRuntime>>()))
        {
            Labels = labels,
            Taints = nodeOptions.ParseTaints(),
            MaxPods = nodeOptions.MaxPods,
        });
    }

    /// <summary>The configuration section whose children are the nodes beside the local one.</summary>
    public const string NodesSection = "Nodes";
}
