namespace DurableKube.Domain.Apply;

/// <summary>One field an apply would change that another manager owns.</summary>
/// <param name="Manager">The other manager, as the API server prints it (<c>"kubectl-client-side-apply" using apps/v1</c>).</param>
/// <param name="Path">The field, as structured-merge-diff prints it (<c>.spec.replicas</c>).</param>
public sealed record ApplyConflict(string Manager, string Path);

/// <summary>An apply refused for conflicts with other managers' fields (the API server's 409 Conflict).</summary>
public sealed class ApplyConflictException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ApplyConflictException"/> class.</summary>
    /// <param name="conflicts">The conflicts.</param>
    public ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts)
        : base(MessageOf(conflicts)) => Conflicts = conflicts;

    /// <summary>Initializes a new instance of the <see cref="ApplyConflictException"/> class.</summary>
    public ApplyConflictException()
        : this([])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ApplyConflictException"/> class.</summary>
    /// <param name="message">Ignored: the message is made from the conflicts.</param>
    public ApplyConflictException(string message)
        : this([])
    {
        _ = message;
    }

    /// <summary>Initializes a new instance of the <see cref="ApplyConflictException"/> class.</summary>
    /// <param name="message">Ignored: the message is made from the conflicts.</param>
    /// <param name="innerException">The cause.</param>
    public ApplyConflictException(string message, Exception innerException)
        : base(message, innerException) => Conflicts = [];

    /// <summary>Gets the conflicts.</summary>
    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    /// <summary>The API server's message (its field manager's <c>getConflictMessage</c>).</summary>
    /// <param name="conflicts">The conflicts.</param>
    /// <returns>The message.</returns>
    public static string MessageOf(IReadOnlyList<ApplyConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Manager}: {conflicts[0].Path}";
        }

        var lines = conflicts
            .GroupBy(c => c.Manager, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => "- " + c.Path)));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
