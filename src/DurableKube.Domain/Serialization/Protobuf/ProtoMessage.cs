namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>One Kubernetes protobuf message (k8s.io/api generated.proto).</summary>
/// <param name="Name">The full name, e.g. <c>k8s.io.api.core.v1.Container</c>.</param>
/// <param name="Fields">Its fields, by field number.</param>
public sealed record ProtoMessage(string Name, IReadOnlyDictionary<int, ProtoFieldInfo> Fields);
