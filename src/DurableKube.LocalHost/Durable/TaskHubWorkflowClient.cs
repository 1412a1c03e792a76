using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableTask.Core;
using DurableTask.Core.Exceptions;

namespace DurableKube.LocalHost.Durable;

/// <summary>The workflow port over the Durable Task Framework's <see cref="TaskHubClient"/>.</summary>
internal sealed class TaskHubWorkflowClient : IWorkflowClient
{
    /// <summary>The statuses in which an instance may not be replaced: it runs, or waits to.</summary>
    private static readonly OrchestrationStatus[] LiveStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended];

    private readonly DurableTaskFrameworkHost _host;

    public TaskHubWorkflowClient(DurableTaskFrameworkHost host) => _host = host;

    public async Task<bool> StartAsync(string workflowName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        // No look first: the provider reads the instance's status itself and refuses the start while it is live
        // (dedupeStatuses), so a look of our own only added an instance-table read to every start.
        try
        {
            // An instance that ended (completed, failed, terminated) is replaced by a new execution.
            await _host.Client.CreateOrchestrationInstanceAsync(workflowName, string.Empty, instanceId, input, tags: null, dedupeStatuses: LiveStatuses);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    public Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default) =>
        _host.Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = instanceId }, eventName, payload);

    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default) =>
        _host.Client.TerminateInstanceAsync(new OrchestrationInstance { InstanceId = instanceId }, reason);

    public async Task<WorkflowInstanceState?> GetStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var state = await _host.Client.GetOrchestrationStateAsync(instanceId);
        return state?.OrchestrationStatus switch
        {
            null => null,
            OrchestrationStatus.Completed => WorkflowInstanceState.Completed,
            OrchestrationStatus.Failed => WorkflowInstanceState.Failed,
            OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => WorkflowInstanceState.Terminated,
            _ => WorkflowInstanceState.Running,
        };
    }

    public async Task<WorkflowInstanceDetails?> GetDetailsAsync(string instanceId, int historyLimit, CancellationToken cancellationToken = default)
    {
        var state = await _host.Client.GetOrchestrationStateAsync(instanceId);
        if (state is null)
        {
            return null;
        }

        IReadOnlyList<WorkflowHistoryEvent>? history = null;
        if (historyLimit > 0 && state.OrchestrationInstance is { } instance)
        {
            history = WorkflowHistory.Parse(await _host.Client.GetOrchestrationHistoryAsync(instance), historyLimit);
        }

        return new WorkflowInstanceDetails(
            instanceId,
            state.Name,
            ToState(state.OrchestrationStatus),
            state.OrchestrationStatus.ToString(),
            new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            string.IsNullOrEmpty(state.Status) ? null : state.Status,
            history);
    }

    private static WorkflowInstanceState ToState(OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.Completed => WorkflowInstanceState.Completed,
        OrchestrationStatus.Failed => WorkflowInstanceState.Failed,
        OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => WorkflowInstanceState.Terminated,
        _ => WorkflowInstanceState.Running,
    };
}
