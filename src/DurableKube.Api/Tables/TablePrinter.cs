using System.Text.Json.Nodes;
using DurableKube.Domain.Printing;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tables;

/// <summary>How one type prints as Table rows: its columns, a row's cells, and a row's conditions.</summary>
/// <param name="Columns">The column definitions.</param>
/// <param name="Cells">The cells of an object's row, at a time.</param>
/// <param name="Conditions">The row conditions (e.g. a finished pod's <c>Completed</c>), if any.</param>
internal sealed record TablePrinter(
    IReadOnlyList<PrinterColumn> Columns,
    Func<IKubernetesObject<V1ObjectMeta>, DateTimeOffset, IReadOnlyList<object>> Cells,
    Func<IKubernetesObject<V1ObjectMeta>, JsonArray?> Conditions);
