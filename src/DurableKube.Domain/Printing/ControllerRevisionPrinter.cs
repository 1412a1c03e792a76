using DurableKube.Domain.Ownership;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>Computes what <c>kubectl get controllerrevisions</c> shows (printers.go, <c>printControllerRevision</c>).</summary>
public static class ControllerRevisionPrinter
{
    /// <summary>Gets the Table columns for ControllerRevisions: NAME CONTROLLER REVISION AGE.</summary>
    public static IReadOnlyList<PrinterColumn> Columns { get; } =
    [
        TablePrinter.NameColumn,
        new("Controller", "string", string.Empty, 0, "Controller of the object"),
        new("Revision", "string", string.Empty, 0, "Revision indicates the revision of the state represented by Data."),
        TablePrinter.AgeColumn,
    ];

    /// <summary>Computes the row of a ControllerRevision.</summary>
    /// <param name="revision">The revision.</param>
    /// <param name="now">The present, for AGE.</param>
    /// <returns>The cells.</returns>
    public static IReadOnlyList<object> Cells(V1ControllerRevision revision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return
        [
            revision.Metadata?.Name ?? string.Empty,
            Controller(OwnerReferences.ControllerOf(revision.Metadata)),
            revision.Revision ?? 0,
            HumanDuration.Since(revision.Metadata?.CreationTimestamp, now),
        ];
    }

    /// <summary>The controller as <c>kind.group/name</c> (<c>statefulset.apps/web</c>), or <c>&lt;none&gt;</c>.</summary>
    /// <param name="controller">The controller reference.</param>
    /// <returns>The text.</returns>
    public static string Controller(V1OwnerReference? controller)
    {
        if (controller is null)
        {
            return "<none>";
        }

        var slash = controller.ApiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        var group = slash > 0 ? controller.ApiVersion![..slash] : string.Empty;
        var kind = controller.Kind?.ToLowerInvariant() ?? string.Empty;
        return group.Length == 0 ? $"{kind}/{controller.Name}" : $"{kind}.{group}/{controller.Name}";
    }
}
