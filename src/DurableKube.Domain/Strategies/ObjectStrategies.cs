using DurableKube.Domain.Resources;

namespace DurableKube.Domain.Strategies;

/// <summary>The strategy of each served type; types without rules of their own get the generic <see cref="ObjectStrategy"/>.</summary>
public static class ObjectStrategies
{
    private static readonly Dictionary<string, ObjectStrategy> Known = new ObjectStrategy[]
    {
        new PodStrategy(),
        new NamespaceStrategy(),
        new NodeStrategy(),
    }.ToDictionary(s => s.Type.GroupResource, StringComparer.Ordinal);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ObjectStrategy> Generic = new(StringComparer.Ordinal);

    /// <summary>Gets the strategy of a type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>Its strategy.</returns>
    public static ObjectStrategy For(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Known.TryGetValue(type.GroupResource, out var strategy)
            ? strategy
            : Generic.GetOrAdd(type.GroupResource, _ => new ObjectStrategy(type));
    }
}
