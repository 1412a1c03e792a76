using DurableKube.Ports.Workflows;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Hosting;

/// <summary>Starting the one workflow instance an object has, and starting it again when it ended without finishing its work.</summary>
public static class WorkflowInstances
{
    /// <summary>
    /// Makes sure an object's workflow instance is running: starts it if there is none, and starts it again
    /// (a new execution, from <see cref="WorkflowStart.Input"/>) if it failed or was terminated, or if it
    /// completed while its object still needs it; logs which.
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="start">What to start, and for whom.</param>
    /// <param name="logger">Where to say it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was found, and whether a new execution was started.</returns>
    public static async Task<(WorkflowInstanceState? Found, bool Started)> EnsureRunningAsync(
        this IWorkflowClient workflows, WorkflowStart start, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(start);
        var state = await workflows.GetStateAsync(start.InstanceId, cancellationToken);
        return (state, await workflows.EnsureRunningAsync(start, state, logger, cancellationToken));
    }

    /// <summary>
    /// As <see cref="EnsureRunningAsync(IWorkflowClient, WorkflowStart, ILogger, CancellationToken)"/>, for a caller that
    /// has just read the instance's state (the resync reads its details once for the watchdog and for this).
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="start">What to start, and for whom.</param>
    /// <param name="state">The instance's state as just read; <see langword="null"/> when there is no instance.</param>
    /// <param name="logger">Where to say it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a new execution was started.</returns>
    public static async Task<bool> EnsureRunningAsync(
        this IWorkflowClient workflows, WorkflowStart start, WorkflowInstanceState? state, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(start);
        var needed = state switch
        {
            null => true,
            WorkflowInstanceState.Failed or WorkflowInstanceState.Terminated => true,
            WorkflowInstanceState.Completed => start.CompletedNeedsRestart,
            _ => false,
        };
        if (!needed || !await workflows.StartAsync(start.Workflow, start.InstanceId, start.Input(), cancellationToken))
        {
            return false;
        }

        if (state is { } ended)
        {
            Log.WorkflowRestarted(logger, start.InstanceId, ended, start.Resource, start.Namespace, start.Name);
        }
        else
        {
            Log.WorkflowStarted(logger, start.InstanceId, start.Resource, start.Namespace, start.Name);
        }

        return true;
    }

    /// <summary>
    /// Starts an object's workflow instance unless one runs, without reading its state first: for an object whose earlier
    /// instance is replaced however it ended (<see cref="WorkflowStart.CompletedNeedsRestart"/>), the start itself decides
    /// (<see cref="IWorkflowClient.StartAsync"/> refuses while one runs or waits to), so a read before it would only add
    /// a request to the backend.
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="start">What to start, and for whom; <see cref="WorkflowStart.CompletedNeedsRestart"/> must be set.</param>
    /// <param name="logger">Where to say it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a new execution was started.</returns>
    /// <exception cref="ArgumentException">A completed instance is to stay completed: only a read of its state can tell.</exception>
    public static async Task<bool> StartUnlessRunningAsync(
        this IWorkflowClient workflows, WorkflowStart start, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(start);
        if (!start.CompletedNeedsRestart)
        {
            throw new ArgumentException($"{start.InstanceId}: a completed instance is to stay completed, so its state must be read first (EnsureRunningAsync)", nameof(start));
        }

        if (!await workflows.StartAsync(start.Workflow, start.InstanceId, start.Input(), cancellationToken))
        {
            return false;
        }

        Log.WorkflowStarted(logger, start.InstanceId, start.Resource, start.Namespace, start.Name);
        return true;
    }

    /// <summary>
    /// Why a workflow is stuck, if it is: it is running and has been silent for longer than <paramref name="stuckAfter"/>
    /// while it should not be: it waits for one activity's result (its custom status, a <see cref="Reconcile.LoopStatus"/>,
    /// says so), or for a timer that was due that long ago, or it never published a status at all (its first episode never
    /// completed). A loop idle on a signal alone is not stuck, however long it waits. The Azure Storage provider can hold
    /// a message back for good after a host is killed between sending an episode's messages and writing its history.
    /// </summary>
    /// <param name="details">The instance as read, or <see langword="null"/> when there is none.</param>
    /// <param name="stuckAfter">How long such a silence may last.</param>
    /// <param name="now">The present.</param>
    /// <returns>What it has waited for (<c>activity SyncPod</c>, <c>timer due at ...</c>, <c>first episode</c>), or
    /// <see langword="null"/> when it is not stuck.</returns>
    public static string? StuckOn(WorkflowInstanceDetails? details, TimeSpan stuckAfter, DateTimeOffset now)
    {
        if (details is not { State: WorkflowInstanceState.Running } || now - details.LastUpdatedAt < stuckAfter)
        {
            return null;
        }

        return Reconcile.LoopStatus.Parse(details.CustomStatus) switch
        {
            null when details.CustomStatus is null => "first episode",
            { WaitingFor: var activity } when activity.StartsWith("activity ", StringComparison.Ordinal) => activity,
            { NextTimer: { } due } when now - due >= stuckAfter => $"timer due at {due:O}",
            _ => null,
        };
    }
}
