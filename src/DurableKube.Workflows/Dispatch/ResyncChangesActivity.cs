using DurableKube.Ports.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Workflows.Dispatch;

/// <summary>Asks every change handler to resync (<see cref="ChangeDispatcher.ResyncAsync"/>): the work of <see cref="ResyncOrchestrator"/>.</summary>
public sealed class ResyncChangesActivity
{
    /// <summary>The activity's name.</summary>
    public const string Name = "ResyncChanges";

    private readonly IServiceProvider _services;
    private readonly ChangeRouter _router;

    /// <summary>Initializes a new instance of the <see cref="ResyncChangesActivity"/> class.</summary>
    /// <param name="services">Where the dispatcher's services come from.</param>
    /// <param name="router">The handlers.</param>
    public ResyncChangesActivity(IServiceProvider services, ChangeRouter router)
    {
        _services = services;
        _router = router;
    }

    /// <summary>Resyncs every handler.</summary>
    /// <param name="request">The request (its delay is spent).</param>
    /// <param name="workflows">Starts the workflows found missing (the Functions host gives one per invocation).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many handlers resynced.</returns>
    public async Task<int> RunAsync(ResyncRequest request, IWorkflowClient workflows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await ActivatorUtilities.CreateInstance<ChangeDispatcher>(_services, workflows).ResyncAsync(cancellationToken);
        return _router.Handlers.Count;
    }
}
