using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet.Timeline;

/// <summary>One run of a container, as the pod's workflow publishes it.</summary>
/// <param name="Attempt">Its attempt number (the restart count when it started).</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it exited, if it has.</param>
/// <param name="ExitCode">Its exit code, once exited.</param>
/// <param name="Reason">The terminated reason Kubernetes shows (Completed, Error, OOMKilled, ...), once exited.</param>
/// <param name="BackoffSeconds">How long the container waited after this run before the next one started, when there is a next one.</param>
public sealed record RunStatus(
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("finishedAt")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("exitCode")] int? ExitCode,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("backoffSeconds")] double? BackoffSeconds);
