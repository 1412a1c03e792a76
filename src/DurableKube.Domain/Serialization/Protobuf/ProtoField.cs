namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>How one field of a Kubernetes protobuf message (k8s.io/api generated.proto) maps to JSON.</summary>
/// <param name="Name">The JSON name.</param>
/// <param name="Kind">The field's shape.</param>
/// <param name="Message">For messages: the nested message's fields, by field number.</param>
/// <param name="Optional">
/// Whether the Go field is a pointer (<c>*int32</c>, <c>*bool</c>): written only when set, so a zero it carries is a
/// value (<c>replicas: 0</c>); a plain field is written even when zero, which JSON leaves out.
/// </param>
public sealed record ProtoField(string Name, ProtoKind Kind, IReadOnlyDictionary<int, ProtoField>? Message = null, bool Optional = false);
