using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// Hands changes from the work queue to the handlers they reach (<see cref="ChangeRouter"/>), which start
/// or signal workflows; and, now and then, asks every handler to resync. Handlers read the current
/// object from the store, so a change handled twice, late or out of order does no harm.
/// </summary>
public sealed class ChangeDispatcher
{
    private readonly ChangeRouter _router;
    private readonly IWorkflowClient _workflows;
    private readonly ILogger<ChangeDispatcher> _logger;

    /// <summary>Initializes a new instance of the <see cref="ChangeDispatcher"/> class.</summary>
    /// <param name="router">Finds the handlers of a change.</param>
    /// <param name="workflows">Starts and signals workflows (the Functions host gives one per invocation).</param>
    /// <param name="logger">The logger.</param>
    public ChangeDispatcher(ChangeRouter router, IWorkflowClient workflows, ILogger<ChangeDispatcher> logger)
    {
        _router = router;
        _workflows = workflows;
        _logger = logger;
    }

    /// <summary>Handles one change.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once every handler it reaches has acted.</returns>
    public async Task DispatchAsync(ObjectChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        Log.Dispatching(_logger, change.Type.ToString(), change.Resource, change.Namespace, change.Name);
        foreach (var handler in _router.Targets(change))
        {
            await handler.HandleAsync(change, _workflows, cancellationToken);
        }
    }

    /// <summary>
    /// Asks every handler to make sure each object that needs a workflow has a running one: run at start-up
    /// and now and then, it covers a change lost between a store write and its queue message, a message set
    /// aside as poison, and a workflow that failed or was terminated.
    /// </summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once every handler has resynced.</returns>
    /// <exception cref="AggregateException">Some handlers failed; every other one resynced all the same.</exception>
    public async Task ResyncAsync(CancellationToken cancellationToken = default)
    {
        List<Exception>? failures = null;
        foreach (var handler in _router.Handlers)
        {
            try
            {
                var count = await handler.ResyncAsync(_workflows, cancellationToken);
                Log.Resynced(_logger, handler.GetType().Name, count);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One handler's failure (its kind's list, say) must not keep the others' workflows from being recovered.
                Log.ResyncFailed(_logger, e, handler.GetType().Name);
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("The resync of some change handlers failed.", failures);
        }
    }
}
