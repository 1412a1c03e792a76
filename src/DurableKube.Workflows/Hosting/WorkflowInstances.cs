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
        var needed = state switch
        {
            null => true,
            WorkflowInstanceState.Failed or WorkflowInstanceState.Terminated => true,
            WorkflowInstanceState.Completed => start.CompletedNeedsRestart,
            _ => false,
        };
        if (!needed || !await workflows.StartAsync(start.Workflow, start.InstanceId, start.Input(), cancellationToken))
        {
            return (state, false);
        }

        if (state is { } ended)
        {
            Log.WorkflowRestarted(logger, start.InstanceId, ended, start.Resource, start.Namespace, start.Name);
        }
        else
        {
            Log.WorkflowStarted(logger, start.InstanceId, start.Resource, start.Namespace, start.Name);
        }

        return (state, true);
    }
}
