namespace DurableKube.Workflows.Controllers;

/// <summary>What a controller workflow carries from turn to turn.</summary>
/// <param name="Object">The object it tends.</param>
/// <param name="Dirty">Whether something changed since the last sync: sync now.</param>
/// <param name="NextSyncAt">When to sync anyway (a pod becoming available, a retry, the periodic resync); after an idle sync, none.</param>
/// <param name="Done">Whether the object is gone: the workflow ends.</param>
public sealed record ControllerState(ControllerRef Object, bool Dirty = true, DateTimeOffset? NextSyncAt = null, bool Done = false);
