using DurableKube.Ports.Workflows;

namespace DurableKube.LocalHost.Durable;

/// <summary>Registers the local host's workflow engine.</summary>
internal static class DurableTaskFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Durable Task Framework host (section <c>Durable</c>), the <see cref="IWorkflowClient"/>
    /// over it, and it as the <see cref="IWorkflowWorker"/>. Register it before the services that use the client: hosted services start in order.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddDurableTaskFramework(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DurableTaskOptions>().Bind(configuration.GetSection(DurableTaskOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DurableTaskFrameworkHost>();
        services.AddHostedService(provider => provider.GetRequiredService<DurableTaskFrameworkHost>());
        services.AddSingleton<IWorkflowClient, TaskHubWorkflowClient>();

        // This host runs its own worker, so the watchdog can have it started afresh (the Functions app cannot).
        services.AddSingleton<IWorkflowWorker>(provider => provider.GetRequiredService<DurableTaskFrameworkHost>());
        return services;
    }
}
