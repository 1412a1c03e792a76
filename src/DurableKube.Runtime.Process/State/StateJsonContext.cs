using System.Text.Json.Serialization;

namespace DurableKube.Runtime.Process.State;

/// <summary>Serializes the runtime's state records.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(LaunchRecord))]
[JsonSerializable(typeof(SandboxRecord))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
