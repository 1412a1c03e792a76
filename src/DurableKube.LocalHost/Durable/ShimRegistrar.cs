using DurableKube.Workflows.Hosting;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace DurableKube.LocalHost.Durable;

/// <summary>
/// Registers the catalog's orchestrators and activities, written against the Durable Task SDK, with a
/// Durable Task Framework <see cref="TaskHubWorker"/> through the SDK's public shim factory: a new shim
/// per execution, each with its real input type (the shim's GetInput is a plain cast).
/// </summary>
/// <remarks>
/// Activities get the host's stopping token. An activity that ends because the host is stopping (or that
/// fails while it stops) is abandoned rather than failed: it throws <see cref="SessionAbortedException"/>,
/// which the framework's activity dispatcher answers by putting the work item back on its queue, so the
/// orchestration records nothing and the activity runs again when a worker takes it after the restart.
/// A failure recorded instead would use up one of the orchestrator's retries (a namespace termination
/// gives up after five) for what is only a shutdown. Activities are idempotent, so running one again is safe.
/// </remarks>
internal sealed class ShimRegistrar : IWorkflowRegistrar
{
    private readonly TaskHubWorker _worker;
    private readonly DurableTaskShimFactory _shims;
    private readonly IServiceProvider _services;
    private readonly CancellationToken _stopping;

    /// <param name="worker">The worker to register with.</param>
    /// <param name="shims">Makes the shims.</param>
    /// <param name="services">The services activities are given.</param>
    /// <param name="stopping">Cancelled when the host stops; every activity gets it.</param>
    public ShimRegistrar(TaskHubWorker worker, DurableTaskShimFactory shims, IServiceProvider services, CancellationToken stopping)
    {
        _worker = worker;
        _shims = shims;
        _services = services;
        _stopping = stopping;
    }

    public void AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run)
    {
        Task<TOutput?> Run(TaskOrchestrationContext context, TInput? input) => run(context, input!)!;
        _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => _shims.CreateOrchestration<TInput, TOutput>(name, Run)));
    }

    public void AddActivity<TInput, TOutput>(string name, Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> run)
    {
        async Task<TOutput?> Run(TaskActivityContext context, TInput? input)
        {
            if (_stopping.IsCancellationRequested)
            {
                throw Abandoned(name, context.InstanceId, null);
            }

            try
            {
                return await run(_services, input!, _stopping);
            }
            catch (Exception e) when (_stopping.IsCancellationRequested && e is not SessionAbortedException)
            {
                throw Abandoned(name, context.InstanceId, e);
            }
        }

        _worker.AddTaskActivities(new Creator<TaskActivity>(name, () => _shims.CreateActivity<TInput, TOutput>(name, Run)));
    }

    private static SessionAbortedException Abandoned(string name, string instanceId, Exception? cause) =>
        new($"The host is stopping: activity {name} of {instanceId} goes back to the queue and runs again after the restart.", cause);

    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}
