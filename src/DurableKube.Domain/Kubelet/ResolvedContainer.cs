namespace DurableKube.Domain.Kubelet;

/// <summary>A container's process as the runtime starts it: the final command line and environment.</summary>
/// <param name="Command">
/// The command followed by its arguments, references expanded; empty when the spec gives no command and
/// the image's entrypoint runs (with <see cref="EntrypointArgs"/>).
/// </param>
/// <param name="Environment">The environment, in the order Kubernetes builds it.</param>
/// <param name="WorkingDirectory">The working directory, if the spec sets one.</param>
public sealed record ResolvedContainer(
    IReadOnlyList<string> Command,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? WorkingDirectory)
{
    /// <summary>Gets the args that replace the image's own (its CMD) when <see cref="Command"/> is empty.</summary>
    public IReadOnlyList<string> EntrypointArgs { get; init; } = [];
}
