using DurableKube.Ports.Workflows;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableKube.Workflows.Hosting;

/// <summary>The workflow port over the Durable Task SDK's <see cref="DurableTaskClient"/> (the Functions host, the in-process test host).</summary>
public sealed class DurableTaskClientWorkflowClient : IWorkflowClient
{
    private readonly DurableTaskClient _client;

    /// <summary>Initializes a new instance of the <see cref="DurableTaskClientWorkflowClient"/> class.</summary>
    /// <param name="client">The Durable Task client.</param>
    public DurableTaskClientWorkflowClient(DurableTaskClient client) => _client = client;

    /// <inheritdoc />
    public async Task<bool> StartAsync(string workflowName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        if (await GetStateAsync(instanceId, cancellationToken) == WorkflowInstanceState.Running)
        {
            return false;
        }

        try
        {
            // An instance that ended may be replaced; one that runs (or waits to) may not.
            var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
                OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended);
            await _client.ScheduleNewOrchestrationInstanceAsync(new TaskName(workflowName), input, options, cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await GetStateAsync(instanceId, CancellationToken.None) != WorkflowInstanceState.Running)
            {
                throw;
            }

            // Someone else started it between our look and our start.
            return false;
        }
    }

    /// <inheritdoc />
    public Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default) =>
        _client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(reason), cancellationToken);

    /// <inheritdoc />
    public async Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, CancellationToken.None) is not null)
            {
                throw;
            }

            // No such instance: the event has no one to reach, as the port allows.
        }
    }

    /// <inheritdoc />
    public async Task<WorkflowInstanceState?> GetStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var instance = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        return instance?.RuntimeStatus switch
        {
            null => null,
            OrchestrationRuntimeStatus.Completed => WorkflowInstanceState.Completed,
            OrchestrationRuntimeStatus.Failed => WorkflowInstanceState.Failed,
            OrchestrationRuntimeStatus.Terminated => WorkflowInstanceState.Terminated,
            _ => WorkflowInstanceState.Running,
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// The history is the client's <see cref="DurableTaskClient.GetOrchestrationHistoryAsync"/> (the current execution,
    /// streamed by the backend: in the Functions host the Durable extension reads it from the task hub), read as
    /// <see cref="WorkflowHistory.Recent"/> reads it. A client or backend that cannot stream a history (the base client's
    /// <see cref="NotSupportedException"/>, a gRPC backend answering Unimplemented) gives
    /// <see cref="WorkflowInstanceDetails.History"/> <see langword="null"/>, as the port allows.
    /// </remarks>
    public async Task<WorkflowInstanceDetails?> GetDetailsAsync(string instanceId, int historyLimit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(historyLimit);

        // Inputs and outputs come with the custom status: the client reads them together.
        var instance = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var state = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed => WorkflowInstanceState.Completed,
            OrchestrationRuntimeStatus.Failed => WorkflowInstanceState.Failed,
            OrchestrationRuntimeStatus.Terminated => WorkflowInstanceState.Terminated,
            _ => WorkflowInstanceState.Running,
        };
        return new WorkflowInstanceDetails(
            instanceId,
            instance.Name,
            state,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            string.IsNullOrEmpty(instance.SerializedCustomStatus) ? null : instance.SerializedCustomStatus,
            historyLimit > 0 ? await ReadHistoryAsync(instanceId, historyLimit, cancellationToken) : null);
    }

    private async Task<IReadOnlyList<WorkflowHistoryEvent>?> ReadHistoryAsync(string instanceId, int limit, CancellationToken cancellationToken)
    {
        try
        {
            return WorkflowHistory.Recent(await _client.GetOrchestrationHistoryAsync(instanceId, cancellationToken), limit);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return null;
        }
    }
}
