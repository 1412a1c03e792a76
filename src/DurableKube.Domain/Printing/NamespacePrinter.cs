using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get namespaces</c> shows (printers.go, printNamespace).</summary>
public static class NamespacePrinter
{
    /// <summary>Gets the Table columns for namespaces.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        new("Name", "string", "name", 0, "Name must be unique within a namespace."),
        new("Status", "string", string.Empty, 0, "The status of the namespace"),
        new("Age", "string", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    /// <summary>Computes the row of a namespace.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The row.</returns>
    public static NamespaceRow Print(V1Namespace ns, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return new NamespaceRow(
            ns.Metadata?.Name ?? string.Empty,
            ns.Status?.Phase ?? string.Empty,
            HumanDuration.Since(ns.Metadata?.CreationTimestamp, now));
    }
}
