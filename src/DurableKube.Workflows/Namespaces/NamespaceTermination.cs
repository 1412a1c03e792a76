namespace DurableKube.Workflows.Namespaces;

/// <summary>What a namespace's termination workflow carries from turn to turn.</summary>
/// <param name="Namespace">The namespace being emptied.</param>
/// <param name="NextLookAt">When to look at what is left again; <see langword="null"/> to look now.</param>
/// <param name="Remaining">How many objects were left at the last look.</param>
/// <param name="Removed">Whether the namespace has been removed: the workflow is done.</param>
public sealed record NamespaceTermination(NamespaceRef Namespace, DateTimeOffset? NextLookAt = null, int Remaining = 0, bool Removed = false);
