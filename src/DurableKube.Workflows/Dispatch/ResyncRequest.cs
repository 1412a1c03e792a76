namespace DurableKube.Workflows.Dispatch;

/// <summary>A resync of every handler, due some time after the changes that asked for it.</summary>
/// <param name="After">How long after the request the resync runs.</param>
public sealed record ResyncRequest(TimeSpan After);
