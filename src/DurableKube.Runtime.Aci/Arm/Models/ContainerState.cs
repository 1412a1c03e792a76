namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>A container state: Waiting, Running or Terminated, with its times and exit code.</summary>
public sealed class ContainerState
{
    /// <summary>Gets or sets the state's name: <c>Waiting</c>, <c>Running</c> or <c>Terminated</c>.</summary>
    public string? State { get; set; }

    /// <summary>Gets or sets when the state began.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Gets or sets the exit code, once terminated.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Gets or sets when the container terminated.</summary>
    public DateTimeOffset? FinishTime { get; set; }

    /// <summary>Gets or sets a detail, e.g. <c>Completed</c> or <c>Error</c>.</summary>
    public string? DetailStatus { get; set; }
}
