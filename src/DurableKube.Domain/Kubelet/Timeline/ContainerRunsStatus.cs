using System.Text.Json.Serialization;

namespace DurableKube.Domain.Kubelet.Timeline;

/// <summary>One container's runs, as the pod's workflow publishes them.</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Role">Init, Sidecar or App.</param>
/// <param name="RestartCount">Its restart count.</param>
/// <param name="RestartAt">When its pending restart is due, while its last run has exited and waits out a back-off.</param>
/// <param name="BackoffSeconds">The back-off the next crash will wait, once it has restarted at least once.</param>
/// <param name="Runs">Its most recent runs, oldest first.</param>
public sealed record ContainerRunsStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("restartCount")] int RestartCount,
    [property: JsonPropertyName("restartAt")] DateTimeOffset? RestartAt,
    [property: JsonPropertyName("backoffSeconds")] double? BackoffSeconds,
    [property: JsonPropertyName("runs")] IReadOnlyList<RunStatus> Runs);
