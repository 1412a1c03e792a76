namespace DurableKube.Ports.Workflows;

/// <summary>
/// Starts and signals workflows. The Functions host implements it over <c>DurableTaskClient</c>, the
/// local host over the Durable Task Framework's <c>TaskHubClient</c>.
/// </summary>
public interface IWorkflowClient
{
    /// <summary>
    /// Starts a workflow instance with this id, unless one is running or pending. An instance that has
    /// ended (completed, failed or terminated) is replaced by a new execution with the new input.
    /// </summary>
    /// <param name="workflowName">The orchestration's name.</param>
    /// <param name="instanceId">The deterministic instance id (one instance per object).</param>
    /// <param name="input">The input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> if this call started it; <see langword="false"/> if one was running already.</returns>
    Task<bool> StartAsync(string workflowName, string instanceId, object input, CancellationToken cancellationToken = default);

    /// <summary>Sends an event to a workflow instance. An instance that has finished ignores it.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the event is durably queued for the instance.</returns>
    Task RaiseEventAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken = default);

    /// <summary>Reads an instance's state.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> if no such instance exists.</returns>
    Task<WorkflowInstanceState?> GetStateAsync(string instanceId, CancellationToken cancellationToken = default);
}
