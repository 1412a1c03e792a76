using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get replicasets</c> shows (printers.go, <c>printReplicaSet</c>).</summary>
public static class ReplicaSetPrinter
{
    /// <summary>Gets the Table columns for ReplicaSets.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Desired", "integer", string.Empty, 0, "Replicas is the number of desired pods."),
        new("Current", "integer", string.Empty, 0, "Replicas is the most recently observed number of replicas."),
        new("Ready", "integer", string.Empty, 0, "The number of ready replicas for this replica set."),
        TablePrinter.AgeColumn,
        TemplateCells.ContainersColumn,
        TemplateCells.ImagesColumn,
        TemplateCells.SelectorColumn,
    ];

    /// <summary>Computes the row of a ReplicaSet.</summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1ReplicaSet rs, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rs);
        var (names, images) = TemplateCells.Containers(rs.Spec?.Template);
        return
        [
            rs.Metadata?.Name ?? string.Empty,
            (long)(rs.Spec?.Replicas ?? 0),
            (long)(rs.Status?.Replicas ?? 0),
            (long)(rs.Status?.ReadyReplicas ?? 0),
            HumanDuration.Since(rs.Metadata?.CreationTimestamp, now),
            names,
            images,
            TemplateCells.Selector(rs.Spec?.Selector),
        ];
    }
}
