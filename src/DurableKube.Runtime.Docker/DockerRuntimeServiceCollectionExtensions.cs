using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Runtime.Docker;

/// <summary>Registers the Docker container runtime.</summary>
public static class DockerRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Docker container runtime as the <see cref="IContainerRuntime"/> singleton, with its options bound
    /// from the <c>Runtime:Docker</c> section and validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Runtime:Docker</c> section.</param>
    /// <param name="nodeName">The local node's name, put on every container the runtime makes.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDockerContainerRuntime(this IServiceCollection services, IConfiguration configuration, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DockerRuntimeOptions>()
            .Bind(configuration.GetSection(DockerRuntimeOptions.SectionName))
            .Configure(options => options.NodeName = string.IsNullOrEmpty(options.NodeName) ? nodeName : options.NodeName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DockerContainerRuntime>();
        services.TryAddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<DockerContainerRuntime>());
        return services;
    }
}
