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

    /// <summary>Gets the names of the variables whose values come from a Secret (<c>secretKeyRef</c>, <c>envFrom.secretRef</c>).</summary>
    public IReadOnlySet<string> SecretEnvironment { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets what the kubelet records as warning events while resolving (<c>InvalidEnvironmentVariableNames</c>: keys of an
    /// <c>envFrom</c> source skipped), each as its reason and message.
    /// </summary>
    public IReadOnlyList<(string Reason, string Message)> Warnings { get; init; } = [];
}
