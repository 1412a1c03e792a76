using DurableKube.Domain.Resources;

namespace DurableKube.Ports.Store;

/// <summary>Identifies one stored object.</summary>
/// <param name="Type">The resource type.</param>
/// <param name="Namespace">The namespace; <see langword="null"/> for cluster-scoped types.</param>
/// <param name="Name">The object name.</param>
public readonly record struct ObjectKey(ResourceType Type, string? Namespace, string Name)
{
    /// <inheritdoc />
    public override string ToString() =>
        Namespace is null ? $"{Type.GroupResource}/{Name}" : $"{Type.GroupResource}/{Namespace}/{Name}";
}
