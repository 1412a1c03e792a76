namespace DurableKube.Workflows.Hosting;

/// <summary>What starting an object's workflow takes: which workflow and instance, the input of a new execution, and whom it is for.</summary>
/// <param name="Workflow">The orchestration's name.</param>
/// <param name="InstanceId">The instance id (one per object).</param>
/// <param name="Input">Builds the input of a new execution, from the object as it is now.</param>
/// <param name="CompletedNeedsRestart">Whether a completed instance must run again: its object still needs it.</param>
/// <param name="Resource">The object's group-qualified resource, for the log.</param>
/// <param name="Namespace">The object's namespace, for the log.</param>
/// <param name="Name">The object's name, for the log.</param>
public sealed record WorkflowStart(
    string Workflow,
    string InstanceId,
    Func<object> Input,
    bool CompletedNeedsRestart,
    string Resource,
    string? Namespace,
    string Name);
