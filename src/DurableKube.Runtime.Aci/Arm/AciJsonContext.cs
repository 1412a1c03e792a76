using System.Text.Json.Serialization;
using DurableKube.Runtime.Aci.Arm.Models;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>The JSON shapes of ARM's container-group API (camelCase, nulls left out), generated at build time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ContainerGroup))]
[JsonSerializable(typeof(ContainerGroupListResult))]
[JsonSerializable(typeof(ContainerGroupTagsPatch))]
[JsonSerializable(typeof(ContainerLogs))]
[JsonSerializable(typeof(ContainerExecRequest))]
[JsonSerializable(typeof(ContainerExecResponse))]
[JsonSerializable(typeof(ArmErrorResponse))]
[JsonSerializable(typeof(ArmOperationStatus))]
internal sealed partial class AciJsonContext : JsonSerializerContext;
