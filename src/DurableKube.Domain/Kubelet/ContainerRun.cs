namespace DurableKube.Domain.Kubelet;

/// <summary>One run of a container: started, and once it has exited, how it ended.</summary>
/// <param name="Attempt">The container's restart count when the run started (0 for the first run).</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When it exited; <see langword="null"/> while running.</param>
/// <param name="ExitCode">Its exit code, once exited.</param>
/// <param name="Reason">The runtime's reason, when it knows more than the exit code (StartError, OOMKilled, ContainerStatusUnknown).</param>
/// <param name="Message">The runtime's message about the exit, if any.</param>
public sealed record ContainerRun(
    int Attempt,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    int? ExitCode = null,
    string? Reason = null,
    string? Message = null)
{
    /// <summary>Gets a value indicating whether the run has exited.</summary>
    public bool Exited => FinishedAt is not null;

    /// <summary>Gets a value indicating whether the run exited with code 0.</summary>
    public bool Succeeded => Exited && ExitCode == 0;

    /// <summary>Gets how long the run lasted, once exited.</summary>
    public TimeSpan? Duration => FinishedAt - StartedAt;

    /// <summary>Gets the terminated reason Kubernetes shows: the runtime's, else Completed for 0 and Error otherwise.</summary>
    public string TerminatedReason => Reason ?? (ExitCode == 0 ? "Completed" : "Error");

    /// <summary>Records the run's exit.</summary>
    /// <param name="finishedAt">When it exited.</param>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="reason">The runtime's reason, if any.</param>
    /// <param name="message">The runtime's message, if any.</param>
    /// <returns>The exited run.</returns>
    public ContainerRun Exit(DateTimeOffset finishedAt, int exitCode, string? reason = null, string? message = null) =>
        this with { FinishedAt = finishedAt, ExitCode = exitCode, Reason = reason, Message = message };
}
