using DurableKube.Api;
using DurableKube.Runtime.Process;
using DurableKube.Store.AzureStorage;
using DurableKube.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Hosting;

/// <summary>Composes a DurableKube from configuration; both hosts call it, then add what only they do (their workflow engine).</summary>
public static class DurableKubeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the object store and work queue (Azure Storage), the container runtime chosen by
    /// <c>Runtime:Kind</c>, the workflows' services and the Kubernetes API.
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
        services.AddContainerRuntime(configuration);
        services.AddDurableKubeWorkflows(configuration);
        services.AddKubernetesApi(configuration);
        return services;
    }

    /// <summary>Registers the container runtime <c>Runtime:Kind</c> names.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">The kind is not one this build has.</exception>
    public static IServiceCollection AddContainerRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var kind = configuration.GetSection(RuntimeOptions.Section).Get<RuntimeOptions>()?.Kind ?? RuntimeOptions.Process;
        services.AddOptions<RuntimeOptions>().Bind(configuration.GetSection(RuntimeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return kind.ToLowerInvariant() switch
        {
            RuntimeOptions.Process => services.AddProcessContainerRuntime(configuration),
            _ => throw new InvalidOperationException(
                $"Runtime:Kind is \"{kind}\", which this build does not have; it has: {string.Join(", ", RuntimeOptions.Kinds)}. "
                + "The Docker and Azure Container Instances runtimes come in later releases."),
        };
    }
}
