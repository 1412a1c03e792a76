namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>
/// Field tables of the messages every kind's protobuf form shares (k8s.io/apimachinery generated.proto):
/// a kind's own table (its <see cref="Kinds.KindDescriptor.Protobuf"/>) is built from these.
/// </summary>
public static class ProtoMessages
{
    /// <summary>Gets <c>metav1.OwnerReference</c>.</summary>
    public static IReadOnlyDictionary<int, ProtoField> OwnerReference { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("kind", ProtoKind.String),
        [3] = new("name", ProtoKind.String),
        [4] = new("uid", ProtoKind.String),
        [5] = new("apiVersion", ProtoKind.String),
        [6] = new("controller", ProtoKind.Bool, Optional: true),
        [7] = new("blockOwnerDeletion", ProtoKind.Bool, Optional: true),
    };

    /// <summary>Gets <c>metav1.ObjectMeta</c>.</summary>
    public static IReadOnlyDictionary<int, ProtoField> ObjectMeta { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("name", ProtoKind.String),
        [2] = new("generateName", ProtoKind.String),
        [3] = new("namespace", ProtoKind.String),
        [5] = new("uid", ProtoKind.String),
        [6] = new("resourceVersion", ProtoKind.String),
        [7] = new("generation", ProtoKind.Int64),
        [8] = new("creationTimestamp", ProtoKind.Time),
        [9] = new("deletionTimestamp", ProtoKind.Time),
        [10] = new("deletionGracePeriodSeconds", ProtoKind.Int64, Optional: true),
        [11] = new("labels", ProtoKind.StringMap),
        [12] = new("annotations", ProtoKind.StringMap),
        [13] = new("ownerReferences", ProtoKind.RepeatedMessage, OwnerReference),
        [14] = new("finalizers", ProtoKind.RepeatedString),
    };

    /// <summary>Gets the entry of a <c>map&lt;string, string&gt;</c>.</summary>
    public static IReadOnlyDictionary<int, ProtoField> MapEntry { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("key", ProtoKind.String),
        [2] = new("value", ProtoKind.String),
    };

    /// <summary>Gets <c>metav1.Time</c> (a <c>google.protobuf.Timestamp</c>).</summary>
    public static IReadOnlyDictionary<int, ProtoField> Timestamp { get; } = new Dictionary<int, ProtoField>
    {
        [1] = new("seconds", ProtoKind.Int64),
        [2] = new("nanos", ProtoKind.Int64),
    };
}
