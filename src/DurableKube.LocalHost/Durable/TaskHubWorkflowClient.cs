using System.Globalization;
using System.Text.Json;
using DurableKube.Ports.Workflows;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;

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
            history = ParseHistory(await _host.Client.GetOrchestrationHistoryAsync(instance), historyLimit);
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

    /// <summary>
    /// The last events of a history as the provider serializes it (a JSON array of DTF <see cref="HistoryEvent"/>s,
    /// with the event type as a number or a name, and <c>$type</c> when type names are written).
    /// </summary>
    /// <param name="json">The provider's JSON.</param>
    /// <param name="limit">How many of the most recent events to keep.</param>
    /// <returns>The events, oldest first.</returns>
    internal static IReadOnlyList<WorkflowHistoryEvent> ParseHistory(string? json, int limit)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var events = new List<WorkflowHistoryEvent>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var type = item.TryGetProperty("EventType", out var t)
                ? t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var number) ? ((EventType)number).ToString() : t.ToString()
                : "Unknown";
            if (type is nameof(EventType.OrchestratorStarted) or nameof(EventType.OrchestratorCompleted))
            {
                // One pair per episode: they say only that the orchestrator ran.
                continue;
            }

            var timestamp = item.TryGetProperty("Timestamp", out var ts) && ts.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.MinValue;
            var name = item.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            string? detail = null;
            if (item.TryGetProperty("FireAt", out var fire) && fire.TryGetDateTimeOffset(out var fireAt))
            {
                detail = "fires at " + fireAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }

            events.Add(new WorkflowHistoryEvent(timestamp, type, name, detail));
        }

        return events.Count > limit ? events[^limit..] : events;
    }

    private static WorkflowInstanceState ToState(OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.Completed => WorkflowInstanceState.Completed,
        OrchestrationStatus.Failed => WorkflowInstanceState.Failed,
        OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => WorkflowInstanceState.Terminated,
        _ => WorkflowInstanceState.Running,
    };
}
