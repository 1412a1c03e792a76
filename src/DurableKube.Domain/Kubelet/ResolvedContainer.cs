namespace DurableKube.Domain.Kubelet;

/// <summary>A container's process as the runtime starts it: the final command line and environment.</summary>
/// <param name="Command">The command followed by its arguments, references expanded; never empty.</param>
/// <param name="Environment">The environment, in the order Kubernetes builds it.</param>
/// <param name="WorkingDirectory">The working directory, if the spec sets one.</param>
public sealed record ResolvedContainer(
    IReadOnlyList<string> Command,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? WorkingDirectory);
