namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>An empty directory volume: ARM takes it as an empty object, <c>"emptyDir": {}</c>.</summary>
public sealed class EmptyDirVolume;
