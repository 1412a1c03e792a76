using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get deployments</c> shows (printers.go, <c>printDeployment</c>).</summary>
public static class DeploymentPrinter
{
    /// <summary>Gets the Table columns for Deployments.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Ready", "string", string.Empty, 0, "Number of the pod with ready state"),
        new("Up-to-date", "integer", string.Empty, 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "integer", string.Empty, 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        TablePrinter.AgeColumn,
        TemplateCells.ContainersColumn,
        TemplateCells.ImagesColumn,
        TemplateCells.SelectorColumn,
    ];

    /// <summary>Computes the row of a Deployment.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells, wide ones included.</returns>
    public static IReadOnlyList<object> Cells(V1Deployment deployment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (names, images) = TemplateCells.Containers(deployment.Spec?.Template);
        return
        [
            deployment.Metadata?.Name ?? string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"{deployment.Status?.ReadyReplicas ?? 0}/{deployment.Spec?.Replicas ?? 0}"),
            (long)(deployment.Status?.UpdatedReplicas ?? 0),
            (long)(deployment.Status?.AvailableReplicas ?? 0),
            HumanDuration.Since(deployment.Metadata?.CreationTimestamp, now),
            names,
            images,
            TemplateCells.Selector(deployment.Spec?.Selector),
        ];
    }
}
