namespace DurableKube.Domain.Scheduling;

/// <summary>The outcome of choosing a node.</summary>
/// <param name="NodeName">The chosen node, or <see langword="null"/> if none fits.</param>
/// <param name="Message">When none fits, the scheduler's message (<c>0/3 nodes are available: ...</c>).</param>
public sealed record NodeChoice(string? NodeName, string? Message);
