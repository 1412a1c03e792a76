using System.Globalization;

namespace DurableKube.Ports.Runtime;

/// <summary>
/// Identifies one run of one container of one pod. Every start of a container is a new run, numbered
/// by the container's restart count at the time, so a start that is retried finds the run it already made.
/// </summary>
/// <param name="PodUid">The pod's uid.</param>
/// <param name="ContainerName">The container's name in the pod spec.</param>
/// <param name="Attempt">The container's restart count when this run started: 0 for the first run.</param>
public readonly record struct ContainerRunId(string PodUid, string ContainerName, int Attempt)
{
    /// <summary>Formats the id as <c>podUid/container/attempt</c>.</summary>
    /// <returns>The id as text.</returns>
    public override string ToString() => $"{PodUid}/{ContainerName}/{Attempt.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Formats the id as the <c>containerID</c> a pod status carries, e.g. <c>process://uid/app/0</c>.</summary>
    /// <param name="runtimeName">The runtime's name, used as the scheme.</param>
    /// <returns>The container id.</returns>
    public string ToContainerId(string runtimeName) => $"{runtimeName}://{this}";

    /// <summary>Parses an id made by <see cref="ToString"/> or <see cref="ToContainerId"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="id">The id, when the text is one.</param>
    /// <returns>Whether the text is an id.</returns>
    public static bool TryParse(string? text, out ContainerRunId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme >= 0 ? text[(scheme + 3)..] : text;
        var parts = rest.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
        {
            return false;
        }

        id = new ContainerRunId(parts[0], parts[1], attempt);
        return true;
    }
}
