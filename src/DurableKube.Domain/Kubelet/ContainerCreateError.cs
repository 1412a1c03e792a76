namespace DurableKube.Domain.Kubelet;

/// <summary>Why a container could not be created, as its waiting state shows it.</summary>
/// <param name="Reason"><c>CreateContainerConfigError</c> when the spec cannot run (no command, a missing ConfigMap), <c>CreateContainerError</c> when the runtime refused.</param>
/// <param name="Message">A sentence saying what is wrong.</param>
public sealed record ContainerCreateError(string Reason, string Message)
{
    /// <summary>The reason for a container whose spec cannot run.</summary>
    public const string ConfigErrorReason = "CreateContainerConfigError";

    /// <summary>The reason for a container the runtime refused to create.</summary>
    public const string RuntimeErrorReason = "CreateContainerError";

    /// <summary>
    /// Gets a value indicating whether the error is a ConfigMap, Secret or key that does not exist (yet): the kubelet
    /// tries again until it does, where other configuration errors stay until the pod changes.
    /// </summary>
    public bool WaitsForObject { get; init; }

    /// <summary>Creates a configuration error.</summary>
    /// <param name="message">What is wrong.</param>
    /// <returns>The error.</returns>
    public static ContainerCreateError Config(string message) => new(ConfigErrorReason, message);

    /// <summary>Creates a configuration error that lasts until a ConfigMap, Secret or key appears.</summary>
    /// <param name="message">What is missing, in the kubelet's words.</param>
    /// <returns>The error.</returns>
    public static ContainerCreateError Missing(string message) => new(ConfigErrorReason, message) { WaitsForObject = true };
}
