using DurableKube.Workflows.Hosting;
using Microsoft.DurableTask;

namespace DurableKube.Functions.Tests.Support;

/// <summary>Records what <see cref="WorkflowCatalog.Register"/> registers in the other hosts, with the types.</summary>
internal sealed class RecordingRegistrar : IWorkflowRegistrar
{
    public Dictionary<string, (Type Input, Type Output)> Orchestrators { get; } = [];

    public Dictionary<string, (Type Input, Type Output)> Activities { get; } = [];

    public static RecordingRegistrar FromCatalog()
    {
        var registrar = new RecordingRegistrar();
        WorkflowCatalog.Register(registrar);
        return registrar;
    }

    public void AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
        Orchestrators.Add(name, (typeof(TInput), typeof(TOutput)));

    public void AddActivity<TInput, TOutput>(string name, Func<IServiceProvider, TInput, CancellationToken, Task<TOutput>> run) =>
        Activities.Add(name, (typeof(TInput), typeof(TOutput)));
}
