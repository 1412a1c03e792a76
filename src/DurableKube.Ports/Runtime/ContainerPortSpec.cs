namespace DurableKube.Ports.Runtime;

/// <summary>A port a container listens on.</summary>
/// <param name="ContainerPort">The port number.</param>
/// <param name="Protocol"><c>TCP</c>, <c>UDP</c> or <c>SCTP</c>.</param>
/// <param name="Name">The port's name, if it has one.</param>
public sealed record ContainerPortSpec(int ContainerPort, string Protocol = "TCP", string? Name = null);
