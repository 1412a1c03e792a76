namespace DurableKube.Domain.Kubelet;

/// <summary>One event the kubelet records about a pod.</summary>
/// <param name="FieldPath">The container it is about (<c>spec.containers{name}</c>), or <see langword="null"/> for the pod.</param>
/// <param name="Type"><c>Normal</c> or <c>Warning</c>.</param>
/// <param name="Reason">The reason.</param>
/// <param name="Message">The message.</param>
public sealed record KubeletEvent(string? FieldPath, string Type, string Reason, string Message);
