namespace DurableKube.Ports.Runtime;

/// <summary>Which part of a run's log to read.</summary>
/// <param name="Follow">Keep streaming new lines until the run ends.</param>
/// <param name="TailLines">Start this many lines from the end; <see langword="null"/> for the whole log.</param>
/// <param name="Since">Only lines written at or after this time.</param>
public sealed record LogReadOptions(bool Follow = false, long? TailLines = null, DateTimeOffset? Since = null);
