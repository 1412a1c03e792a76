using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Printing;

/// <summary>How one kind prints as <c>meta.k8s.io</c> Table rows (what <c>kubectl get</c> shows): its columns, a row's cells, and a row's conditions.</summary>
/// <param name="Columns">The column definitions.</param>
/// <param name="Cells">The cells of an object's row, at a time (for AGE).</param>
/// <param name="Conditions">The row conditions (e.g. a finished pod's <c>Completed</c>), if any.</param>
public sealed record TablePrinter(
    IReadOnlyList<PrinterColumn> Columns,
    Func<IKubernetesObject<V1ObjectMeta>, DateTimeOffset, IReadOnlyList<object>> Cells,
    Func<IKubernetesObject<V1ObjectMeta>, JsonArray?> Conditions)
{
    /// <summary>Gets the NAME column every kind starts with.</summary>
    public static PrinterColumn NameColumn { get; } = new(
        "Name", "string", "name", 0,
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.");

    /// <summary>Gets the AGE column.</summary>
    public static PrinterColumn AgeColumn { get; } = new(
        "Age", "string", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created.");

    /// <summary>Gets the printer of a kind with no columns of its own: NAME and AGE, as the API server's default table convertor.</summary>
    public static TablePrinter Default { get; } = new(
        [NameColumn, AgeColumn],
        (o, now) => [o.Metadata?.Name ?? string.Empty, HumanDuration.Since(o.Metadata?.CreationTimestamp, now)],
        _ => null);

    /// <summary>Creates a printer for a kind whose rows are computed by a typed function.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="columns">The columns.</param>
    /// <param name="cells">The cells of an object's row.</param>
    /// <param name="conditions">The row conditions, if the kind has any.</param>
    /// <returns>The printer.</returns>
    public static TablePrinter For<T>(
        IReadOnlyList<PrinterColumn> columns,
        Func<T, DateTimeOffset, IReadOnlyList<object>> cells,
        Func<T, JsonArray?>? conditions = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(cells);
        return new TablePrinter(columns, (o, now) => cells((T)o, now), o => conditions?.Invoke((T)o));
    }
}
