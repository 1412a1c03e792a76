namespace DurableKube.Ports.Runtime;

/// <summary>Everything a runtime needs to start one run of a container.</summary>
/// <param name="Id">The run.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="PodName">The pod's name.</param>
/// <param name="Image">The container image, as the spec names it.</param>
/// <param name="Command">The command followed by its arguments, with <c>$(VAR)</c> references already expanded; never empty.</param>
/// <param name="Environment">The container's environment, in spec order, values resolved.</param>
/// <param name="WorkingDirectory">The working directory, or <see langword="null"/> for the runtime's default.</param>
public sealed record ContainerLaunch(
    ContainerRunId Id,
    string Namespace,
    string PodName,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? WorkingDirectory);
