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

    /// <summary>
    /// Reads what the backend knows of an instance: its status, times, published custom status and, where the backend
    /// can give it, the most recent events of its current execution. A read only: nothing is started or changed.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="historyLimit">How many of the most recent history events to return at most (0: none).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The details, or <see langword="null"/> if no such instance exists.</returns>
    Task<WorkflowInstanceDetails?> GetDetailsAsync(string instanceId, int historyLimit, CancellationToken cancellationToken = default);

    /// <summary>Terminates a running instance (it stops at its next episode; nothing it started is undone).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="reason">Why, kept as the instance's output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes once the termination is queued.</returns>
    Task TerminateAsync(string instanceId, string reason, CancellationToken cancellationToken = default);
}
