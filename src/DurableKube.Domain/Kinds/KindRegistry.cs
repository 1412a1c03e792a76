using DurableKube.Domain.Resources;

namespace DurableKube.Domain.Kinds;

/// <summary>
/// The kinds this server serves, registered once at start-up (the API server's scheme and REST
/// storage map). Built from the descriptors a host registers, it refuses two kinds that would claim the
/// same resource, kind or short name, so a conflict fails at start rather than at a request.
/// </summary>
public sealed class KindRegistry
{
    private readonly Dictionary<string, KindDescriptor> _byGroupResource = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ApiVersion, string Kind), KindDescriptor> _byKind = [];
    private readonly List<KindDescriptor> _registered = [];

    /// <summary>Initializes a new instance of the <see cref="KindRegistry"/> class.</summary>
    /// <param name="kinds">The descriptors of the served kinds.</param>
    /// <exception cref="ArgumentException">Two descriptors claim the same resource, kind or short name.</exception>
    public KindRegistry(IEnumerable<KindDescriptor> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var shortNames = new Dictionary<string, KindDescriptor>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            var type = kind.Type;
            if (!_byGroupResource.TryAdd(type.GroupResource, kind))
            {
                throw new ArgumentException($"The kind {type.GroupResource} is registered twice.", nameof(kinds));
            }

            if (!_byKind.TryAdd((type.ApiVersion, type.Kind), kind))
            {
                throw new ArgumentException($"{type.ApiVersion} {type.Kind} is claimed by both {_byKind[(type.ApiVersion, type.Kind)]} and {type.GroupResource}.", nameof(kinds));
            }

            foreach (var shortName in type.ShortNames)
            {
                if (!shortNames.TryAdd(shortName, kind) && !SameObjects(shortNames[shortName], kind))
                {
                    throw new ArgumentException($"The short name {shortName} is claimed by both {shortNames[shortName]} and {type.GroupResource}.", nameof(kinds));
                }
            }

            if (kind.Has(Subresource.Scale.Name) != (kind.Scale is not null))
            {
                throw new ArgumentException($"{type.GroupResource} must both list the scale subresource and say where its replicas are, or neither.", nameof(kinds));
            }

            var duplicate = kind.Subresources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ArgumentException($"{type.GroupResource} lists the subresource {duplicate.Key} twice.", nameof(kinds));
            }

            _registered.Add(kind);
        }

        All = [.. _byGroupResource.Values.OrderBy(k => k.Type.Group, StringComparer.Ordinal).ThenBy(k => k.Type.Plural, StringComparer.Ordinal)];
        Groups = [.. All.Select(k => k.Type.Group).Where(g => g.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Gets every served kind, ordered by group, then plural.</summary>
    public IReadOnlyList<KindDescriptor> All { get; }

    /// <summary>Gets the named API groups served (the core group, <c>""</c>, is not among them), sorted.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Finds a kind by where it lives in the API.</summary>
    /// <param name="group">The API group; empty for core.</param>
    /// <param name="version">The version.</param>
    /// <param name="plural">The plural resource name.</param>
    /// <returns>The kind, or <see langword="null"/> if it is not served.</returns>
    public KindDescriptor? Find(string group, string version, string plural) =>
        _byGroupResource.TryGetValue(group.Length == 0 ? plural : $"{plural}.{group}", out var kind) && kind.Type.Version == version ? kind : null;

    /// <summary>Finds a kind by its group-qualified resource, e.g. <c>pods</c> or <c>replicasets.apps</c>.</summary>
    /// <param name="groupResource">The group-qualified resource.</param>
    /// <returns>The kind, or <see langword="null"/> if it is not served.</returns>
    public KindDescriptor? Find(string groupResource) => _byGroupResource.GetValueOrDefault(groupResource);

    /// <summary>Finds a kind by what objects of it carry: <c>apiVersion</c> and <c>kind</c> (an ownerReference, a request body).</summary>
    /// <param name="apiVersion">The apiVersion, e.g. <c>apps/v1</c>.</param>
    /// <param name="kind">The kind, e.g. <c>ReplicaSet</c>.</param>
    /// <returns>The kind, or <see langword="null"/> if it is not served.</returns>
    public KindDescriptor? FindByKind(string? apiVersion, string? kind) =>
        apiVersion is null || kind is null ? null : _byKind.GetValueOrDefault((apiVersion, kind));

    /// <summary>Gets the descriptor of a type the caller knows is served.</summary>
    /// <param name="type">The type.</param>
    /// <returns>Its descriptor.</returns>
    /// <exception cref="KeyNotFoundException">The type is not registered.</exception>
    public KindDescriptor Get(ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _byGroupResource.TryGetValue(type.GroupResource, out var kind)
            ? kind
            : throw new KeyNotFoundException($"The kind {type.GroupResource} is not registered with this server.");
    }

    /// <summary>Gets the versions served of a group, in registration order of their kinds.</summary>
    /// <param name="group">The group; empty for core.</param>
    /// <returns>The versions.</returns>
    public IReadOnlyList<string> VersionsOf(string group) =>
        [.. _registered.Where(k => k.Type.Group == group).Select(k => k.Type.Version).Distinct(StringComparer.Ordinal)];

    /// <summary>Gets the kinds of one group-version, ordered by plural.</summary>
    /// <param name="group">The group; empty for core.</param>
    /// <param name="version">The version.</param>
    /// <returns>The kinds.</returns>
    public IReadOnlyList<KindDescriptor> KindsOf(string group, string version) =>
        [.. All.Where(k => k.Type.Group == group && k.Type.Version == version)];

    /// <summary>Whether any kind of a group-version is served.</summary>
    /// <param name="group">The group; empty for core.</param>
    /// <param name="version">The version.</param>
    /// <returns>Whether it is served.</returns>
    public bool ServesGroupVersion(string group, string version) => All.Any(k => k.Type.Group == group && k.Type.Version == version);

    /// <summary>Whether two kinds are one stored kind in two versions (which share their short names, as <c>ev</c>).</summary>
    private static bool SameObjects(KindDescriptor a, KindDescriptor b) =>
        a.Storage?.Type == b.Type || b.Storage?.Type == a.Type;
}
