namespace DurableKube.Ports.Store;

/// <summary>What an object must still be for a delete to go ahead.</summary>
/// <param name="Uid">The uid it must have, if set.</param>
/// <param name="ResourceVersion">The resource version it must have, if set.</param>
public sealed record Preconditions(string? Uid = null, string? ResourceVersion = null);
