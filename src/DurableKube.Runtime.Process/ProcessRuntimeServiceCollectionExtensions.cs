using System.Runtime.Versioning;
using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Runtime.Process;

/// <summary>Registers the process container runtime.</summary>
public static class ProcessRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the process container runtime (Linux only) as the <see cref="IContainerRuntime"/> singleton, with its
    /// options bound from the <c>Runtime:Process</c> section (and the pod range from <c>Runtime:PodCidr</c>) and validated at start-up, and a hosted service that
    /// starts it with the host and ends its runs when the host stops cleanly.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>Runtime:Process</c> section.</param>
    /// <returns>The services.</returns>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static IServiceCollection AddProcessContainerRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The process container runtime runs on Linux only.");
        }

        services.AddOptions<ProcessRuntimeOptions>()
            .Bind(configuration.GetSection(ProcessRuntimeOptions.SectionName))
            .Configure(options => options.PodCidr = configuration[PodCidrKey] is { Length: > 0 } cidr ? cidr : options.PodCidr)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProcessContainerRuntime>();
        services.TryAddSingleton<IContainerRuntime>(ResolveRuntime);
        services.AddHostedService<ProcessRuntimeHostedService>();
        return services;
    }

    /// <summary>The configuration key of the pod range (<c>Runtime__PodCidr</c>).</summary>
    public const string PodCidrKey = "Runtime:PodCidr";

    [SupportedOSPlatform("linux")]
    private static ProcessContainerRuntime ResolveRuntime(IServiceProvider provider) =>
        provider.GetRequiredService<ProcessContainerRuntime>();
}
