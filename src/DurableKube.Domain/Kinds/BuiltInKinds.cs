namespace DurableKube.Domain.Kinds;

/// <summary>The kinds every DurableKube serves; a host registers them (and may add its own) at start-up.</summary>
public static class BuiltInKinds
{
    /// <summary>Gets the built-in kinds, by API group.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [.. CoreKinds.All, .. AppsKinds.All, .. BatchKinds.All, .. NetworkKinds.All, .. EventsKinds.All, .. CoordinationKinds.All];

    /// <summary>Gets a registry of the built-in kinds alone, for tests and tools that need no host.</summary>
    /// <returns>The registry.</returns>
    public static KindRegistry Registry() => new(All);
}
