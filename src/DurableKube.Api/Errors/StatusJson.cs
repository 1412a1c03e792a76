using System.Text.Json.Nodes;
using k8s.Models;

namespace DurableKube.Api.Errors;

/// <summary>Writes a <c>Status</c> as JSON (KubernetesClient's own converter for <see cref="V1Status"/> only reads).</summary>
internal static class StatusJson
{
    public static JsonObject ToNode(V1Status status)
    {
        var node = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = status.Status,
        };
        if (status.Message is not null)
        {
            node["message"] = status.Message;
        }

        if (status.Reason is not null)
        {
            node["reason"] = status.Reason;
        }

        if (status.Details is { } details)
        {
            var detailsNode = new JsonObject();
            Add(detailsNode, "name", details.Name);
            Add(detailsNode, "group", details.Group);
            Add(detailsNode, "kind", details.Kind);
            Add(detailsNode, "uid", details.Uid);
            if (details.Causes is { Count: > 0 } causes)
            {
                var array = new JsonArray();
                foreach (var cause in causes)
                {
                    var causeNode = new JsonObject();
                    Add(causeNode, "reason", cause.Reason);
                    Add(causeNode, "message", cause.Message);
                    Add(causeNode, "field", cause.Field);
                    array.Add(causeNode);
                }

                detailsNode["causes"] = array;
            }

            if (details.RetryAfterSeconds is { } retry)
            {
                detailsNode["retryAfterSeconds"] = retry;
            }

            node["details"] = detailsNode;
        }

        if (status.Code is { } code)
        {
            node["code"] = code;
        }

        return node;
    }

    private static void Add(JsonObject node, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            node[name] = value;
        }
    }
}
