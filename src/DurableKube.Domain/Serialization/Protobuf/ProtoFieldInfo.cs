namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>One field of a Kubernetes protobuf message.</summary>
/// <param name="JsonName">The field's name, which is its JSON name.</param>
/// <param name="Number">The field number.</param>
/// <param name="Type">A scalar type (<c>string</c>, <c>int32</c>, <c>int64</c>, <c>bool</c>, <c>bytes</c>, <c>double</c>) or a message's full name.</param>
/// <param name="Label">Single, repeated, or a <c>map&lt;string, Type&gt;</c>.</param>
/// <param name="Pointer">
/// Whether the Go field is a pointer (<c>*int32</c>, <c>*bool</c>): written only when set, so a zero it carries is a
/// value (<c>replicas: 0</c>); a plain field is written even when zero, which JSON leaves out.
/// </param>
public sealed record ProtoFieldInfo(string JsonName, int Number, string Type, ProtoLabel Label, bool Pointer)
{
    /// <summary>
    /// Gets a value indicating whether Kubernetes' OpenAPI marks the field required (kube-openapi's rule: <c>+required</c>,
    /// or neither <c>+optional</c> nor <c>omitempty</c> on the Go field).
    /// </summary>
    public bool Required { get; init; }

    /// <summary>Gets a value indicating whether the type is a scalar rather than a message.</summary>
    public bool IsScalar => Type is "string" or "bytes" or "bool" or "int32" or "int64" or "uint32" or "uint64" or "sint32" or "sint64" or "double" or "float";
}
