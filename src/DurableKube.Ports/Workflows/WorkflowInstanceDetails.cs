namespace DurableKube.Ports.Workflows;

/// <summary>What a workflow client can tell about one instance: what the dashboard shows of the workflow behind an object.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The orchestration's name.</param>
/// <param name="State">Its state in the port's terms.</param>
/// <param name="RuntimeStatus">The backend's own runtime status (Running, Pending, ContinuedAsNew, Completed, ...).</param>
/// <param name="CreatedAt">When the current execution was created.</param>
/// <param name="LastUpdatedAt">When the instance last changed.</param>
/// <param name="CustomStatus">The custom status the orchestration published, as the JSON text it was serialized to, if any.</param>
/// <param name="History">The most recent events of the current execution, oldest first, or <see langword="null"/> when the backend cannot give them.</param>
public sealed record WorkflowInstanceDetails(
    string InstanceId,
    string Name,
    WorkflowInstanceState State,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? CustomStatus,
    IReadOnlyList<WorkflowHistoryEvent>? History);
