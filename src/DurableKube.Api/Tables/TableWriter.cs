using System.Text.Json.Nodes;
using DurableKube.Api.Errors;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Tables;

/// <summary>Builds <c>meta.k8s.io</c> Tables (what <c>kubectl get</c> asks for) and PartialObjectMetadata.</summary>
internal static class TableWriter
{
    public static string IncludeObject(string? value) => value switch
    {
        null or "" or "Metadata" => "Metadata",
        "Object" or "None" => value,
        _ => throw StatusErrors.BadRequest($"includeObject: Unsupported value: \"{value}\": supported values: \"Metadata\", \"None\", \"Object\""),
    };

    public static JsonObject Table(
        KindDescriptor kind,
        IEnumerable<IKubernetesObject<V1ObjectMeta>> items,
        string? resourceVersion,
        string? continueToken,
        long? remaining,
        string metaVersion,
        string includeObject,
        DateTimeOffset now)
    {
        var printer = kind.Printer;
        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        if (remaining is { } count)
        {
            metadata["remainingItemCount"] = count;
        }

        var columns = new JsonArray();
        foreach (var column in printer.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add(Row(printer, item, metaVersion, includeObject, now));
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/" + metaVersion,
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    public static JsonObject PartialMetadata(IKubernetesObject<V1ObjectMeta> obj, string metaVersion) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/" + metaVersion,
        ["metadata"] = KubeJson.ToNode(obj.Metadata),
    };

    public static JsonObject PartialMetadataList(IEnumerable<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion, string? continueToken, string metaVersion)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadataList",
            ["apiVersion"] = "meta.k8s.io/" + metaVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)PartialMetadata(i, metaVersion))]),
        };
    }

    private static JsonObject Row(TablePrinter printer, IKubernetesObject<V1ObjectMeta> item, string metaVersion, string includeObject, DateTimeOffset now)
    {
        var cells = new JsonArray();
        foreach (var cell in printer.Cells(item, now))
        {
            cells.Add(cell switch
            {
                string text => JsonValue.Create(text),
                int number => JsonValue.Create(number),
                long number => JsonValue.Create(number),
                bool flag => JsonValue.Create(flag),
                _ => JsonValue.Create(Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture)),
            });
        }

        var row = new JsonObject { ["cells"] = cells };
        if (printer.Conditions(item) is { } conditions)
        {
            row["conditions"] = conditions;
        }

        switch (includeObject)
        {
            case "Metadata":
                row["object"] = PartialMetadata(item, metaVersion);
                break;
            case "Object":
                row["object"] = KubeJson.ToNode(item);
                break;
        }

        return row;
    }
}
