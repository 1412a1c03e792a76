using System.Text.Json.Nodes;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tables;

/// <summary>The Table printer of each type: pods, namespaces and nodes from the Domain's printers, any other type NAME and AGE.</summary>
internal static class TablePrinters
{
    private static readonly IReadOnlyList<PrinterColumn> DefaultColumns =
    [
        new("Name", "string", "name", 0, "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated."),
        new("Age", "string", string.Empty, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ];

    private static readonly Dictionary<string, TablePrinter> Printers = new(StringComparer.Ordinal)
    {
        [ResourceTypes.Pods.GroupResource] = new(
            PodPrinter.Columns,
            (o, now) => PodPrinter.Print((V1Pod)o, now).Cells(wide: true),
            o => ((V1Pod)o).Status?.Phase switch
            {
                "Succeeded" => Completed("Succeeded", "The pod has completed successfully."),
                "Failed" => Completed("Failed", "The pod failed."),
                _ => null,
            }),
        [ResourceTypes.Namespaces.GroupResource] = new(
            NamespacePrinter.Columns,
            (o, now) => NamespacePrinter.Print((V1Namespace)o, now).Cells(),
            _ => null),
        [ResourceTypes.Nodes.GroupResource] = new(
            NodePrinter.Columns,
            (o, now) => NodePrinter.Print((V1Node)o, now).Cells(wide: true),
            _ => null),
    };

    private static readonly TablePrinter Default = new(
        DefaultColumns,
        (o, now) => [o.Metadata?.Name ?? string.Empty, HumanDuration.Since(o.Metadata?.CreationTimestamp, now)],
        _ => null);

    public static TablePrinter For(ResourceType type) => Printers.GetValueOrDefault(type.GroupResource, Default);

    private static JsonArray Completed(string reason, string message) =>
        [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = reason, ["message"] = message }];
}
