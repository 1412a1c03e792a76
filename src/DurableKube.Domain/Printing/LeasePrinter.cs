using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get leases</c> shows (printers.go, <c>printLease</c>).</summary>
public static class LeasePrinter
{
    /// <summary>Gets the Table columns for Leases: NAME HOLDER AGE.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Holder", "string", string.Empty, 0, "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Computes the row of a Lease.</summary>
    /// <param name="lease">The Lease.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> Cells(V1Lease lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return
        [
            lease.Metadata?.Name ?? string.Empty,
            lease.Spec?.HolderIdentity ?? string.Empty,
            HumanDuration.Since(lease.Metadata?.CreationTimestamp, now),
        ];
    }
}
