namespace DurableKube.Domain.Kubelet;

/// <summary>
/// The payload of the external event that carries a <see cref="PodSignal"/> to a pod's workflow. The
/// envelope declares the property as the base type, so the JSON carries the signal's type
/// discriminator whichever serializer the host uses.
/// </summary>
/// <param name="Signal">The signal.</param>
public sealed record PodEvent(PodSignal Signal);
