namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>How one field of a Kubernetes protobuf message (k8s.io/api generated.proto) maps to JSON.</summary>
/// <param name="Name">The JSON name.</param>
/// <param name="Kind">The field's shape.</param>
/// <param name="Message">For messages: the nested message's fields, by field number.</param>
public sealed record ProtoField(string Name, ProtoKind Kind, IReadOnlyDictionary<int, ProtoField>? Message = null);
