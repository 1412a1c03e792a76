using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>
/// Says that a kind is another kind's stored objects seen through another version (the API server's one
/// storage with several representations, e.g. <c>events.k8s.io/v1</c> Events over <c>v1</c> Events): its
/// objects are kept as <paramref name="Type"/> and converted on every read and write.
/// </summary>
/// <param name="Type">The kind the objects are stored as.</param>
/// <param name="ToStorage">Converts an object of the served kind to the stored kind.</param>
/// <param name="FromStorage">Converts a stored object to the served kind.</param>
public sealed record StoredAs(
    ResourceType Type,
    Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>> ToStorage,
    Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>> FromStorage);
