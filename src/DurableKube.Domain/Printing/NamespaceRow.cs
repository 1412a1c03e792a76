namespace DurableKube.Domain.Printing;

/// <summary>The cells of one namespace in <c>kubectl get namespaces</c>.</summary>
/// <param name="Name">NAME.</param>
/// <param name="Status">STATUS: the phase, <c>Active</c> or <c>Terminating</c>.</param>
/// <param name="Age">AGE.</param>
public sealed record NamespaceRow(string Name, string Status, string Age)
{
    /// <summary>Gets the cells in column order.</summary>
    /// <returns>The cells, matching <see cref="NamespacePrinter.Columns"/>.</returns>
    public IReadOnlyList<object> Cells() => [Name, Status, Age];
}
