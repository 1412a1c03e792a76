using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get statefulsets</c> shows (printers.go, <c>printStatefulSet</c>).</summary>
public static class StatefulSetPrinter
{
    /// <summary>Gets the Table columns for StatefulSets: NAME READY AGE, and CONTAINERS IMAGES with <c>-o wide</c>.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Ready", "string", string.Empty, 0, "Number of the pod with ready state"),
        TablePrinter.AgeColumn,
        TemplateCells.ContainersColumn,
        TemplateCells.ImagesColumn,
    ];

    /// <summary>Computes the row of a StatefulSet.</summary>
    /// <param name="sts">The StatefulSet.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1StatefulSet sts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sts);
        var (names, images) = TemplateCells.Containers(sts.Spec?.Template);
        var ready = string.Create(CultureInfo.InvariantCulture, $"{sts.Status?.ReadyReplicas ?? 0}/{sts.Spec?.Replicas ?? 0}");
        return
        [
            sts.Metadata?.Name ?? string.Empty,
            ready,
            HumanDuration.Since(sts.Metadata?.CreationTimestamp, now),
            names,
            images,
        ];
    }
}
