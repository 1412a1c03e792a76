namespace DurableKube.Ports.Workflows;

/// <summary>The state of a workflow instance.</summary>
public enum WorkflowInstanceState
{
    /// <summary>Scheduled or running (including waiting on a timer or an event).</summary>
    Running,

    /// <summary>Finished normally.</summary>
    Completed,

    /// <summary>Failed with an unhandled error.</summary>
    Failed,

    /// <summary>Ended by an operator.</summary>
    Terminated,
}
