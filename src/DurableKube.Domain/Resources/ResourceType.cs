using k8s;
using k8s.Models;

namespace DurableKube.Domain.Resources;

/// <summary>
/// The identity of one kind of object: where it lives in the API (group, version, plural), what it
/// is called (kind, singular, short names), whether it is namespaced, and the KubernetesClient model
/// type that holds it. This is all the store needs; what the server does with the kind (strategy,
/// printer, fields, subresources) is its <see cref="Kinds.KindDescriptor"/>.
/// </summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The API version within the group, e.g. <c>v1</c>.</param>
/// <param name="Plural">The resource name used in URLs, e.g. <c>pods</c>.</param>
/// <param name="Singular">The singular name, e.g. <c>pod</c>.</param>
/// <param name="Kind">The object kind, e.g. <c>Pod</c>.</param>
/// <param name="Namespaced">Whether objects of this type live in a namespace.</param>
/// <param name="ObjectType">The model type, e.g. <see cref="V1Pod"/>.</param>
/// <param name="ListType">The list model type, e.g. <see cref="V1PodList"/>.</param>
/// <param name="ShortNames">Short names kubectl accepts, e.g. <c>po</c>.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    Type ObjectType,
    Type ListType,
    IReadOnlyList<string> ShortNames)
{
    /// <summary>Gets the <c>apiVersion</c> objects of this type carry, e.g. <c>v1</c> or <c>apps/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Gets the group-qualified resource name, e.g. <c>pods</c> or <c>replicasets.apps</c>, as Kubernetes names it in errors.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Gets the kind of the list type, e.g. <c>PodList</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary>Creates an empty object of this type with <c>apiVersion</c> and <c>kind</c> set.</summary>
    /// <returns>The new object.</returns>
    public IKubernetesObject<V1ObjectMeta> New()
    {
        var obj = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(ObjectType)!;
        obj.ApiVersion = ApiVersion;
        obj.Kind = Kind;
        obj.Metadata = new V1ObjectMeta();
        return obj;
    }

    /// <inheritdoc />
    public override string ToString() => GroupResource;
}
