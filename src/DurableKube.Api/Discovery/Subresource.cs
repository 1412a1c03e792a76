namespace DurableKube.Api.Discovery;

/// <summary>A subresource a type serves, e.g. <c>status</c> (get, patch, update) or <c>log</c> (get).</summary>
/// <param name="Name">The subresource name.</param>
/// <param name="Verbs">The verbs it serves.</param>
internal sealed record Subresource(string Name, IReadOnlyList<string> Verbs);
