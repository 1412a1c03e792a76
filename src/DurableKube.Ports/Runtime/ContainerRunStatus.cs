namespace DurableKube.Ports.Runtime;

/// <summary>What a runtime knows of one run.</summary>
/// <param name="Id">The run.</param>
/// <param name="State">Running or exited.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it ended, once exited.</param>
/// <param name="ExitCode">Its exit code, once exited (128 + signal number when a signal ended it).</param>
/// <param name="Reason">
/// Set only when the runtime knows more than the exit code says: <c>StartError</c> (the command could
/// not be started), <c>OOMKilled</c>, or <c>ContainerStatusUnknown</c> (the run vanished and its exit was not seen).
/// </param>
/// <param name="Message">A sentence about the exit, when there is one.</param>
/// <param name="Acknowledged">Whether the exit has been delivered to the pod's workflow (see <see cref="IContainerRuntime.AcknowledgeExitAsync"/>).</param>
public sealed record ContainerRunStatus(
    ContainerRunId Id,
    ContainerRunState State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    int? ExitCode = null,
    string? Reason = null,
    string? Message = null,
    bool Acknowledged = false);
