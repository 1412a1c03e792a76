using DurableKube.Ports.Queue;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Workflows;
using DurableKube.Registry;
using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.GarbageCollection;
using DurableKube.Workflows.Hosting;
using DurableKube.Workflows.Namespaces;
using DurableKube.Workflows.Nodes;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using DurableKube.Workflows.ReplicaSets;
using DurableKube.Workflows.Services;
using DurableKube.Workflows.Jobs;
using DurableKube.Workflows.CronJobs;
using DurableKube.Workflows.Deployments;
using DurableKube.Workflows.StatefulSets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableKube.Workflows;

/// <summary>Registers the workflows' services.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the write path (<see cref="ObjectRegistry"/>), the activities, the change handlers of the
    /// workflow kinds, the router and dispatcher, the write hook that queues the changes handlers want, and
    /// the options (sections <c>Kubelet</c>, <c>Node</c>, <c>Dispatcher</c>, <c>Reconcile</c>), validated at start-up. Hosts add
    /// the node agent and the queue reader as they run them, and an <see cref="Ports.Workflows.IWorkflowClient"/> of their own.
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
        services.AddOptions<NodeLifecycleOptions>().Bind(configuration.GetSection(NodeLifecycleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DispatcherOptions>().Bind(configuration.GetSection(DispatcherOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Probes.ProbeOptions>().Bind(configuration.GetSection(Probes.ProbeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Probes.ProbeRunner>();
        services.AddOptions<Events.EventOptions>().Bind(configuration.GetSection(Events.EventOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Events.EventRecorder>();
        services.TryAddSingleton<Ports.Events.IEventRecorder>(sp => sp.GetRequiredService<Events.EventRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<Events.EventRecorder>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddObjectRegistry();
        services.TryAddSingleton<INodeRuntimes, NodeRuntimes>();
        services.TryAddTransient<SyncPodActivity>();
        services.TryAddTransient<SyncNamespaceActivity>();
        services.TryAddTransient<CollectGarbageActivity>();
        services.TryAddTransient<SyncReplicaSetActivity>();
        services.TryAddTransient<SyncJobActivity>();
        services.TryAddTransient<SyncCronJobActivity>();
        services.TryAddTransient<SyncDeploymentActivity>();
        services.TryAddTransient<SyncStatefulSetActivity>();
        services.TryAddTransient<SyncEndpointsActivity>();
        services.TryAddSingleton<PodBinder>();
        services.TryAddSingleton<IWorkflowWorker, ExtensionWorkflowWorker>();
        services.TryAddSingleton<WorkflowWatchdog>();
        services.TryAddTransient<ObserveNodeActivity>();
        services.TryAddTransient<SyncNodeLifecycleActivity>();
        services.TryAddTransient<ResyncChangesActivity>();

        // One handler per workflow kind. The dispatcher is made over a workflow client (the Functions host
        // has one per invocation, so it builds the dispatcher there); the router and the write hook need none.
        services.AddChangeHandler<PodChangeHandler>();
        services.AddChangeHandler<ConfigSourceChangeHandler>();
        services.AddChangeHandler<SchedulingChanceHandler>();
        services.AddChangeHandler<NamespaceChangeHandler>();
        services.AddChangeHandler<GarbageCollectorHandler>();
        services.AddControllerHandler(ReplicaSetController.Definition);
        services.AddControllerHandler(JobController.Definition);
        services.AddControllerHandler(CronJobController.Definition);
        services.AddControllerHandler(DeploymentController.Definition);
        services.AddControllerHandler(StatefulSetController.Definition);
        services.AddChangeHandler<ServiceChangeHandler>();
        services.AddChangeHandler<NodeLifecycleChangeHandler>();
        services.TryAddSingleton<ChangeRouter>();
        services.TryAddTransient<ChangeDispatcher>();
        services.TryAddSingleton<IPoisonReporter, PoisonReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWriteHook, ChangeNotifier>());
        return services;
    }

    /// <summary>Registers the change handler of a controller kind with the dispatcher.</summary>
    /// <param name="services">The services.</param>
    /// <param name="definition">The controller kind.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddControllerHandler(this IServiceCollection services, ControllerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        services.AddSingleton<IChangeHandler>(sp => ActivatorUtilities.CreateInstance<ControllerChangeHandler>(sp, definition));
        return services;
    }

    /// <summary>Registers the change handler of a workflow kind with the dispatcher.</summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddChangeHandler<THandler>(this IServiceCollection services)
        where THandler : class, IChangeHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeHandler, THandler>());
        return services;
    }
}
