using DurableKube.Ports.Workflows;
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
    public async Task<bool> StartIfAbsentAsync(string workflowName, string instanceId, object input, CancellationToken cancellationToken = default)
    {
        if (await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await _client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(workflowName), input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, CancellationToken.None) is null)
            {
                throw;
            }

            // Someone else started it between our look and our start.
            return false;
        }
    }

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
}
