namespace DurableKube.Domain.Strategies;

/// <summary>A machine-readable cause of a refused write (a Status's <c>details.causes[]</c>).</summary>
/// <param name="Reason">The cause's reason, e.g. <c>NamespaceTerminating</c>.</param>
/// <param name="Message">What it means.</param>
/// <param name="Field">The field it is about, if one.</param>
public sealed record RejectionCause(string Reason, string Message, string? Field = null)
{
    /// <summary>The cause of a create refused because its namespace is being deleted (<c>v1.NamespaceTerminatingCause</c>).</summary>
    public const string NamespaceTerminating = "NamespaceTerminating";
}
