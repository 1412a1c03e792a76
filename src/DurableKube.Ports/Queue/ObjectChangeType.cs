using System.Text.Json.Serialization;

namespace DurableKube.Ports.Queue;

/// <summary>What happened to an object.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ObjectChangeType>))]
public enum ObjectChangeType
{
    /// <summary>The object was created.</summary>
    Added,

    /// <summary>The object was updated (including the start of a graceful deletion).</summary>
    Modified,

    /// <summary>The object was removed from the store.</summary>
    Deleted,
}
