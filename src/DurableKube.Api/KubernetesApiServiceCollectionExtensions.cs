using DurableKube.Api.Auth;
using DurableKube.Api.Health;
using DurableKube.Api.Metrics;
using DurableKube.Api.Namespaces;
using DurableKube.Api.Pods;
using DurableKube.Api.Proxy;
using DurableKube.Api.Resources;
using DurableKube.Api.Streaming;
using DurableKube.Api.Watch;
using DurableKube.Registry;
using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace DurableKube.Api;

/// <summary>Registers the Kubernetes API.</summary>
public static class KubernetesApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="KubernetesApi"/>, its options (section <see cref="KubernetesApiOptions.SectionName"/>),
    /// the write path (<see cref="ObjectRegistry"/>, with the built-in kinds unless the host registered
    /// kinds) and the hosted service that creates the system namespaces. The host provides
    /// <c>IObjectStore</c> and the nodes (<c>AddNodeRuntime</c>: a pod's log comes from its node's runtime); <see cref="TimeProvider.System"/> is used unless
    /// another <see cref="TimeProvider"/> is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding the <c>KubernetesApi</c> section (the root or the section itself).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(KubernetesApiOptions.SectionName);
        services.AddOptions<KubernetesApiOptions>()
            .Bind(section.Exists() ? section : configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddObjectRegistry();
        services.TryAddSingleton<WatchLimiter>();
        services.TryAddSingleton<WatchHandler>();
        services.TryAddSingleton<INodeRuntimes, NodeRuntimes>();
        services.TryAddSingleton<PodLogHandler>();
        services.TryAddSingleton<PodStreamHandler>();
        services.TryAddSingleton<PortForwardHandler>();
        services.TryAddSingleton<ProxyHandler>();
        services.TryAddSingleton<ResourceHandler>();
        services.TryAddSingleton<HealthHandler>();
        services.TryAddSingleton<MetricsHandler>();
        services.TryAddSingleton<Dashboard.DashboardHandler>();
        AddAuth(services, configuration);
        services.TryAddSingleton(sp => new KubernetesApi(
            sp.GetRequiredService<Domain.Kinds.KindRegistry>(),
            sp.GetRequiredService<ResourceHandler>(),
            sp.GetRequiredService<HealthHandler>(),
            sp.GetRequiredService<MetricsHandler>(),
            sp.GetRequiredService<ApiGate>(),
            sp.GetRequiredService<SelfReviewHandler>(),
            sp.GetRequiredService<IOptions<KubernetesApiOptions>>().Value.MaxRequestHeaderBytes,
            sp.GetRequiredService<Dashboard.DashboardHandler>(),
            sp.GetService<Ports.Workflows.IWorkflowClient>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<KubernetesApi>>()));
        services.AddHostedService<SystemNamespaces>();
        return services;
    }

    /// <summary>
    /// Adds the door: <see cref="AuthOptions"/> (section <c>Auth</c>), the static token authenticator, the Entra ID one
    /// when <c>Auth:Entra</c> is configured (its OpenID metadata manager replaceable, as tests do), the gate and the self reviews.
    /// </summary>
    private static void AddAuth(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.TryAddSingleton<StaticTokenAuthenticator>();
        services.AddSingleton<IBearerTokenAuthenticator>(sp => sp.GetRequiredService<StaticTokenAuthenticator>());
        if (configuration.GetSection(AuthOptions.SectionName + ":Entra").Exists())
        {
            services.TryAddSingleton<IConfigurationManager<OpenIdConnectConfiguration>>(sp => new ConfigurationManager<OpenIdConnectConfiguration>(
                sp.GetRequiredService<IOptions<AuthOptions>>().Value.Entra!.EffectiveAuthority + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = true }));
            services.AddSingleton<IBearerTokenAuthenticator>(sp => new EntraTokenAuthenticator(
                sp.GetRequiredService<IOptions<AuthOptions>>().Value.Entra!,
                sp.GetRequiredService<IConfigurationManager<OpenIdConnectConfiguration>>()));
        }

        services.TryAddSingleton<ApiGate>();
        services.TryAddSingleton<SelfReviewHandler>();
    }
}
