namespace DurableKube.Api.Content.Protobuf;

/// <summary>The shapes of protobuf fields the decoder knows.</summary>
internal enum ProtoKind
{
    String,
    Int64,
    Bool,
    Message,
    RepeatedString,
    RepeatedMessage,
    StringMap,
    Time,
}
