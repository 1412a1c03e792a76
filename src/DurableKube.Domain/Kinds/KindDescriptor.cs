using DurableKube.Domain.Printing;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization.Protobuf;
using DurableKube.Domain.Strategies;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>
/// Everything the server knows about one kind, in one place (the API server's scheme registration and
/// REST storage of a resource, KubeOps' entity registration): its identity, the strategy that applies
/// its rules to every write, how it prints as a table, the fields it can be selected by, the
/// subresources it serves, and its protobuf message. Routing, discovery, OpenAPI, tables, field
/// selectors and body decoding read it from the <see cref="KindRegistry"/>. docs/adding-a-kind.md says
/// what adding one takes.
/// </summary>
public sealed record KindDescriptor
{
    /// <summary>The verbs every kind serves on its main resource (store-backed REST).</summary>
    public static readonly IReadOnlyList<string> Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Initializes a new instance of the <see cref="KindDescriptor"/> class.</summary>
    /// <param name="strategy">The kind's rules; its <see cref="ObjectStrategy.Type"/> is the kind's identity.</param>
    public KindDescriptor(ObjectStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        Strategy = strategy;
    }

    /// <summary>Gets the kind's identity: group, version, names, scope, model types.</summary>
    public ResourceType Type => Strategy.Type;

    /// <summary>Gets the rules applied to every create, update, status update and delete of the kind.</summary>
    public ObjectStrategy Strategy { get; }

    /// <summary>Gets the categories discovery lists, e.g. <c>all</c> (what <c>kubectl get all</c> shows).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets how the kind prints as Table rows; NAME and AGE unless the kind says more.</summary>
    public TablePrinter Printer { get; init; } = TablePrinter.Default;

    /// <summary>
    /// Gets the kind's own selectable fields and their values (the registries' <c>GetAttrs</c>), beyond
    /// <c>metadata.name</c> and <c>metadata.namespace</c> which every kind has.
    /// </summary>
    public Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<(string Field, string? Value)>>? Fields { get; init; }

    /// <summary>Gets the subresources the kind serves.</summary>
    public IReadOnlyList<Subresource> Subresources { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether removing an object of this kind sends the garbage collector to
    /// its dependents at once. Kinds whose objects seldom own anything and come and go in numbers (pods,
    /// nodes) leave it to the collector's periodic sweep, which finds every dangling owner reference.
    /// </summary>
    public bool CollectsDependents { get; init; } = true;

    /// <summary>Gets where the kind keeps what its <c>scale</c> subresource shows, for a kind that lists that subresource.</summary>
    public ScaleDescriptor? Scale { get; init; }

    /// <summary>
    /// Gets the full name of the kind's protobuf message (k8s.io/api generated.proto), e.g. <c>k8s.io.api.apps.v1.Deployment</c>,
    /// which <see cref="ProtoSchema"/> knows the fields of: by default the package Kubernetes names after the group
    /// (<c>core</c> for the core group, else the group's first label) and version.
    /// </summary>
    public string ProtobufMessage { get; init; } = string.Empty;

    /// <summary>Gets the protobuf message name, <see cref="ProtobufMessage"/> or the default one.</summary>
    public string ProtobufMessageName => ProtobufMessage.Length > 0 ? ProtobufMessage : ProtoSchema.DefaultMessageName(Type);

    /// <summary>
    /// Gets where the kind's objects are stored when they are another kind's objects in another version
    /// (<c>events.k8s.io/v1</c> Events are <c>v1</c> Events); <see langword="null"/> for a kind stored as itself.
    /// </summary>
    public StoredAs? Storage { get; init; }

    /// <summary>Whether the kind serves a subresource with a verb.</summary>
    /// <param name="subresource">The subresource name.</param>
    /// <param name="verb">The verb, e.g. <c>get</c>.</param>
    /// <returns>Whether it is served.</returns>
    public bool Serves(string subresource, string verb) =>
        Subresources.Any(s => s.Name == subresource && s.Verbs.Contains(verb, StringComparer.Ordinal));

    /// <summary>Whether the kind serves a subresource at all.</summary>
    /// <param name="subresource">The subresource name.</param>
    /// <returns>Whether it is served.</returns>
    public bool Has(string subresource) => Subresources.Any(s => s.Name == subresource);

    /// <inheritdoc />
    public override string ToString() => Type.GroupResource;
}
