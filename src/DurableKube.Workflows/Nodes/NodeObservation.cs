namespace DurableKube.Workflows.Nodes;

/// <summary>What one observation of a node found.</summary>
/// <param name="HoldsPods">Whether pods are bound to the node and not finished, or its runtime still has runs or exits to report: keep observing.</param>
/// <param name="NextIn">When to observe again, if it holds pods.</param>
public sealed record NodeObservation(bool HoldsPods, TimeSpan NextIn);
