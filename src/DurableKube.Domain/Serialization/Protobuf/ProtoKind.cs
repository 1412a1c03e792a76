namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>The shapes of protobuf fields a request-body decoder knows.</summary>
public enum ProtoKind
{
    /// <summary>A string (wire type 2).</summary>
    String,

    /// <summary>A varint integer.</summary>
    Int64,

    /// <summary>A varint boolean.</summary>
    Bool,

    /// <summary>A nested message.</summary>
    Message,

    /// <summary>A repeated string.</summary>
    RepeatedString,

    /// <summary>A repeated nested message.</summary>
    RepeatedMessage,

    /// <summary>A <c>map&lt;string, string&gt;</c>.</summary>
    StringMap,

    /// <summary>A <c>map&lt;string, bytes&gt;</c>, its values written as base64 (a Secret's <c>data</c>, a ConfigMap's <c>binaryData</c>).</summary>
    BytesMap,

    /// <summary>A <c>metav1.Time</c> (seconds and nanos), written as an RFC 3339 string.</summary>
    Time,
}
