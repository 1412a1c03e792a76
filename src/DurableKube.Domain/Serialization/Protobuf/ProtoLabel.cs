namespace DurableKube.Domain.Serialization.Protobuf;

/// <summary>How many values a protobuf field holds.</summary>
public enum ProtoLabel
{
    /// <summary>One value (<c>optional</c>).</summary>
    Single,

    /// <summary>A list (<c>repeated</c>).</summary>
    Repeated,

    /// <summary>A <c>map&lt;string, T&gt;</c> (repeated entries of key 1 and value 2).</summary>
    Map,
}
