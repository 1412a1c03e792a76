using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Resources;
using DurableKube.Domain.Metrics;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableKube.Api.Metrics;

/// <summary>
/// The resource metrics API, <c>metrics.k8s.io/v1beta1</c>, as the metrics-server serves it (what <c>kubectl top</c>
/// reads): <c>NodeMetrics</c> and <c>PodMetrics</c>, get and list only, computed on each request from the figures of
/// the nodes' runtimes (<see cref="IContainerRuntime.GetUsageAsync"/>), never stored. A pod or node whose runtime has
/// no figures for it is absent from lists and not found by a get, as with the metrics-server.
/// </summary>
internal sealed class MetricsHandler(IObjectStore store, INodeRuntimes nodes, TimeProvider time, ILogger<MetricsHandler> logger)
{
    /// <summary>The API group.</summary>
    public const string Group = "metrics.k8s.io";

    /// <summary>The API version.</summary>
    public const string Version = "v1beta1";

    private const string ApiVersion = Group + "/" + Version;

    /// <summary>The resources of the group: plural, kind, namespaced.</summary>
    public static readonly IReadOnlyList<(string Plural, string Kind, bool Namespaced)> Resources =
    [
        ("nodes", "NodeMetrics", false),
        ("pods", "PodMetrics", true),
    ];

    /// <summary>The verbs every resource of the group serves.</summary>
    public static readonly IReadOnlyList<string> Verbs = ["get", "list"];

    /// <summary>Serves one request under <c>/apis/metrics.k8s.io</c>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="version">The version in the path, if any.</param>
    /// <param name="plural">The resource, if any.</param>
    /// <param name="namespace">The namespace, if any.</param>
    /// <param name="name">The object's name, if any.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task HandleAsync(HttpContext context, string? version, string? plural, string? @namespace, string? name)
    {
        var cancellation = context.RequestAborted;
        if (version is null)
        {
            await ResponseWriter.WriteNodeAsync(context, 200, GroupDocument(), ResponseFormat.Json, cancellation);
            return;
        }

        if (plural is null)
        {
            await ResponseWriter.WriteNodeAsync(context, 200, ResourceList(), ResponseFormat.Json, cancellation);
            return;
        }

        var query = context.Request.Query;
        if (RequestOptions.Bool(query, "watch"))
        {
            throw StatusErrors.MethodNotAllowed();
        }

        var labels = LabelSelector.Parse(RequestOptions.String(query, "labelSelector"));
        var fields = FieldSelector.Parse(RequestOptions.String(query, "fieldSelector"));
        var body = plural == "nodes"
            ? await NodesAsync(name, labels, fields, cancellation)
            : await PodsAsync(@namespace, name, labels, fields, cancellation);
        await ResponseWriter.WriteNodeAsync(context, 200, body, ResponseFormat.Json, cancellation);
    }

    /// <summary>The legacy discovery document of the group.</summary>
    /// <returns>The <c>APIGroup</c>.</returns>
    public static JsonObject GroupDocument() => new()
    {
        ["kind"] = "APIGroup",
        ["apiVersion"] = "v1",
        ["name"] = Group,
        ["versions"] = new JsonArray(GroupVersion()),
        ["preferredVersion"] = GroupVersion(),
    };

    /// <summary>The group as it appears in <c>/apis</c>' <c>APIGroupList</c>.</summary>
    /// <returns>The group entry.</returns>
    public static JsonObject GroupEntry() => new()
    {
        ["name"] = Group,
        ["versions"] = new JsonArray(GroupVersion()),
        ["preferredVersion"] = GroupVersion(),
    };

    /// <summary>The legacy discovery document of <c>metrics.k8s.io/v1beta1</c>.</summary>
    /// <returns>The <c>APIResourceList</c>.</returns>
    public static JsonObject ResourceList() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = ApiVersion,
        ["resources"] = new JsonArray([.. Resources.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Plural,
            ["singularName"] = string.Empty,
            ["namespaced"] = r.Namespaced,
            ["kind"] = r.Kind,
            ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)JsonValue.Create(v))]),
        })]),
    };

    /// <summary>The group's entry in the aggregated discovery document of <c>/apis</c>.</summary>
    /// <returns>The <c>APIGroupDiscovery</c>.</returns>
    public static JsonObject AggregatedEntry() => new()
    {
        ["metadata"] = new JsonObject { ["name"] = Group, ["creationTimestamp"] = null },
        ["versions"] = new JsonArray(new JsonObject
        {
            ["version"] = Version,
            ["resources"] = new JsonArray([.. Resources.Select(r => (JsonNode)new JsonObject
            {
                ["resource"] = r.Plural,
                ["responseKind"] = new JsonObject { ["group"] = Group, ["version"] = Version, ["kind"] = r.Kind },
                ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)JsonValue.Create(v))]),
            })]),
            ["freshness"] = "Current",
        }),
    };

    private static JsonObject GroupVersion() => new() { ["groupVersion"] = ApiVersion, ["version"] = Version };

    private async Task<JsonObject> NodesAsync(string? name, LabelSelector labels, FieldSelector fields, CancellationToken cancellationToken)
    {
        List<V1Node> found;
        if (name is not null)
        {
            found = await store.GetAsync(new ObjectKey(ResourceTypes.Nodes, null, name), cancellationToken) is V1Node node ? [node] : [];
        }
        else
        {
            found = [.. (await store.ListAsync(ResourceTypes.Nodes, null, ListQuery.All, cancellationToken)).Items.OfType<V1Node>()
                .Where(n => labels.Matches(n.Metadata.Labels) && fields.Matches(Fields(n.Metadata)))];
        }

        var usages = await UsageOfAsync(found.Select(n => n.Metadata.Name), cancellationToken);
        var now = time.GetUtcNow();
        var items = new JsonArray();
        foreach (var node in found)
        {
            if (usages.GetValueOrDefault(node.Metadata.Name)?.Node is not { } usage)
            {
                continue;
            }

            items.Add(new JsonObject
            {
                ["kind"] = "NodeMetrics",
                ["apiVersion"] = ApiVersion,
                ["metadata"] = Metadata(node.Metadata, now),
                ["timestamp"] = UsageFigures.FormatTime(usage.Timestamp),
                ["window"] = UsageFigures.FormatWindow(usage.Window),
                ["usage"] = Usage(usage.CpuNanoCores, usage.MemoryWorkingSetBytes),
            });
        }

        if (name is not null)
        {
            return items.Count == 1 ? Detach(items) : throw StatusErrors.NotFound(Group, "nodemetrics", name);
        }

        return List("NodeMetricsList", items);
    }

    private async Task<JsonObject> PodsAsync(string? @namespace, string? name, LabelSelector labels, FieldSelector fields, CancellationToken cancellationToken)
    {
        List<V1Pod> found;
        if (name is not null)
        {
            found = await store.GetAsync(new ObjectKey(ResourceTypes.Pods, @namespace, name), cancellationToken) is V1Pod pod ? [pod] : [];
        }
        else
        {
            found = [.. (await store.ListAsync(ResourceTypes.Pods, @namespace, ListQuery.All, cancellationToken)).Items.OfType<V1Pod>()
                .Where(p => labels.Matches(p.Metadata.Labels) && fields.Matches(Fields(p.Metadata)))];
        }

        found = [.. found.Where(p => !string.IsNullOrEmpty(p.Spec?.NodeName) && p.Metadata.DeletionTimestamp is null)];
        var usages = await UsageOfAsync(found.Select(p => p.Spec.NodeName), cancellationToken);
        var now = time.GetUtcNow();
        var items = new JsonArray();
        foreach (var pod in found)
        {
            var podUsage = usages.GetValueOrDefault(pod.Spec.NodeName)?.Pods.FirstOrDefault(p => p.PodUid == pod.Metadata.Uid);
            if (podUsage is null || podUsage.Containers.Count == 0)
            {
                continue;
            }

            var order = pod.Spec.Containers?.Select(c => c.Name).ToList() ?? [];
            var containers = podUsage.Containers
                .Where(c => order.Contains(c.Name, StringComparer.Ordinal))
                .OrderBy(c => order.IndexOf(c.Name))
                .ToList();
            if (containers.Count == 0)
            {
                continue;
            }

            var latest = containers.MaxBy(c => c.Usage.Timestamp)!.Usage;
            items.Add(new JsonObject
            {
                ["kind"] = "PodMetrics",
                ["apiVersion"] = ApiVersion,
                ["metadata"] = Metadata(pod.Metadata, now),
                ["timestamp"] = UsageFigures.FormatTime(latest.Timestamp),
                ["window"] = UsageFigures.FormatWindow(latest.Window),
                ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["usage"] = Usage(c.Usage.CpuNanoCores, c.Usage.MemoryWorkingSetBytes),
                })]),
            });
        }

        if (name is not null)
        {
            return items.Count == 1 ? Detach(items) : throw StatusErrors.NotFound(Group, "podmetrics", name);
        }

        return List("PodMetricsList", items);
    }

    /// <summary>Asks each node's runtime once for its figures; a node whose runtime fails is left out, as the metrics-server leaves out a node it cannot scrape.</summary>
    private async Task<Dictionary<string, NodeUsage>> UsageOfAsync(IEnumerable<string> nodeNames, CancellationToken cancellationToken)
    {
        var asks = nodeNames.Distinct(StringComparer.Ordinal)
            .Select(n => (Name: n, Runtime: nodes.RuntimeOf(n)))
            .Where(n => n.Runtime is not null)
            .Select(async n =>
            {
                try
                {
                    return (n.Name, Usage: await n.Runtime!.GetUsageAsync(cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.UsageUnavailable(logger, n.Name, e);
                    return (n.Name, Usage: (NodeUsage?)null);
                }
            });
        var result = new Dictionary<string, NodeUsage>(StringComparer.Ordinal);
        foreach (var (nodeName, usage) in await Task.WhenAll(asks))
        {
            if (usage is not null)
            {
                result[nodeName] = usage;
            }
        }

        return result;
    }

    private static Dictionary<string, string> Fields(V1ObjectMeta metadata) => new(StringComparer.Ordinal)
    {
        ["metadata.name"] = metadata.Name ?? string.Empty,
        ["metadata.namespace"] = metadata.NamespaceProperty ?? string.Empty,
    };

    /// <summary>The metadata the metrics-server gives an item: the object's name, namespace and labels, created now.</summary>
    private static JsonObject Metadata(V1ObjectMeta metadata, DateTimeOffset now)
    {
        var result = new JsonObject { ["name"] = metadata.Name };
        if (!string.IsNullOrEmpty(metadata.NamespaceProperty))
        {
            result["namespace"] = metadata.NamespaceProperty;
        }

        result["creationTimestamp"] = UsageFigures.FormatTime(now);
        if (metadata.Labels is { Count: > 0 } labels)
        {
            result["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))]);
        }

        return result;
    }

    private static JsonObject Usage(ulong nanoCores, ulong memoryBytes) => new()
    {
        ["cpu"] = UsageFigures.FormatCpu(nanoCores),
        ["memory"] = UsageFigures.FormatMemory(memoryBytes),
    };

    private static JsonObject Detach(JsonArray items)
    {
        var item = items[0]!.AsObject();
        items.Clear();
        return item;
    }

    private static JsonObject List(string kind, JsonArray items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = ApiVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = items,
    };
}
