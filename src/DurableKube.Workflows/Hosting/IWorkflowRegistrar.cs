using Microsoft.DurableTask;

namespace DurableKube.Workflows.Hosting;

/// <summary>Whatever a host registers workflows with: the Durable Task Framework's worker, the in-process test host.</summary>
public interface IWorkflowRegistrar
{
    /// <summary>Registers an orchestrator.</summary>
    /// <typeparam name="TInput">Its input type.</typeparam>
    /// <typeparam name="TOutput">Its output type.</typeparam>
    /// <param name="name">Its name.</param>
    /// <param name="run">Its body.</param>
    void AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run);

    /// <summary>Registers an activity.</summary>
    /// <typeparam name="TInput">Its input type.</typeparam>
    /// <typeparam name="TOutput">Its output type.</typeparam>
    /// <param name="name">Its name.</param>
    /// <param name="run">Its body, given the host's services.</param>
    void AddActivity<TInput, TOutput>(string name, Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> run);
}
