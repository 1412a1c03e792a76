using DurableKube.Workflows.Hosting;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace DurableKube.LocalHost.Durable;

/// <summary>
/// Registers the catalog's orchestrators and activities, written against the Durable Task SDK, with a
/// Durable Task Framework <see cref="TaskHubWorker"/> through the SDK's public shim factory: a new shim
/// per execution, each with its real input type (the shim's GetInput is a plain cast).
/// </summary>
internal sealed class ShimRegistrar : IWorkflowRegistrar
{
    private readonly TaskHubWorker _worker;
    private readonly DurableTaskShimFactory _shims;
    private readonly IServiceProvider _services;

    public ShimRegistrar(TaskHubWorker worker, DurableTaskShimFactory shims, IServiceProvider services)
    {
        _worker = worker;
        _shims = shims;
        _services = services;
    }

    public void AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run)
    {
        Task<TOutput?> Run(TaskOrchestrationContext context, TInput? input) => run(context, input!)!;
        _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => _shims.CreateOrchestration<TInput, TOutput>(name, Run)));
    }

    public void AddActivity<TInput, TOutput>(string name, Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> run)
    {
        Task<TOutput?> Run(TaskActivityContext context, TInput? input) => run(_services, input!, CancellationToken.None)!;
        _worker.AddTaskActivities(new Creator<TaskActivity>(name, () => _shims.CreateActivity<TInput, TOutput>(name, Run)));
    }

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
