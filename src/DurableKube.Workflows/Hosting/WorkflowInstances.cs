using DurableKube.Ports.Workflows;

namespace DurableKube.Workflows.Hosting;

/// <summary>Starting the one workflow instance an object has, and starting it again when it ended without finishing its work.</summary>
public static class WorkflowInstances
{
    /// <summary>
    /// Makes sure a workflow instance is running: starts it if there is none, and starts it again (a new
    /// execution, from <paramref name="input"/>) if it failed or was terminated, or if it completed while
    /// the caller says its object still needs it.
    /// </summary>
    /// <param name="workflows">The workflow client.</param>
    /// <param name="workflowName">The orchestration's name.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="input">Builds the input of a new execution.</param>
    /// <param name="completedNeedsRestart">Whether a completed instance must run again (its object still needs it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was found, and whether a new execution was started.</returns>
    public static async Task<(WorkflowInstanceState? Found, bool Started)> EnsureRunningAsync(
        this IWorkflowClient workflows,
        string workflowName,
        string instanceId,
        Func<object> input,
        bool completedNeedsRestart = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(input);
        var state = await workflows.GetStateAsync(instanceId, cancellationToken);
        var start = state switch
        {
            null => true,
            WorkflowInstanceState.Failed or WorkflowInstanceState.Terminated => true,
            WorkflowInstanceState.Completed => completedNeedsRestart,
            _ => false,
        };
        return (state, start && await workflows.StartAsync(workflowName, instanceId, input(), cancellationToken));
    }
}
