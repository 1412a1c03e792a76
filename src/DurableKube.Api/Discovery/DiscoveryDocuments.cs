using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Metrics;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.Discovery;

/// <summary>
/// The discovery documents kubectl reads before every command: <c>/version</c>, the legacy
/// <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/api/v1</c> and <c>/apis/{group}/{version}</c>
/// documents, and the aggregated <c>APIGroupDiscoveryList</c> (v2 and v2beta1), all from the kind registry.
/// </summary>
/// <param name="kinds">The served kinds.</param>
internal sealed class DiscoveryDocuments(KindRegistry kinds)
{
    public const string AggregatedGroup = "apidiscovery.k8s.io";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "33",
        ["minCompatibilityMajor"] = "1",
        ["minCompatibilityMinor"] = "32",
        ["gitVersion"] = "v1.33.0",
        ["gitCommit"] = "60a317eadfcb839692a68eab88b2096f4d708f4f",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-23T13:07:27Z",
        ["goVersion"] = "go1.24.2",
        ["compiler"] = "gc",
        ["platform"] = "linux/" + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64"),
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. kinds.Groups.Select(g => (JsonNode)GroupBody(g)), MetricsHandler.GroupEntry(), .. Auth.SelfReviewHandler.Groups.Select(g => (JsonNode)Auth.SelfReviewHandler.GroupEntry(g))]),
    };

    public JsonObject Group(string group)
    {
        var body = GroupBody(group);
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            result[key] = value;
        }

        return result;
    }

    public JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var kind in kinds.KindsOf(group, version))
        {
            var type = kind.Type;
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Array(KindDescriptor.Verbs),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = Array(type.ShortNames);
            }

            if (kind.Categories is { Count: > 0 } categories)
            {
                entry["categories"] = Array(categories);
            }

            entry["storageVersionHash"] = StorageVersionHash(type);
            resources.Add(entry);
            foreach (var sub in kind.Subresources.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                var subEntry = new JsonObject
                {
                    ["name"] = type.Plural + "/" + sub.Name,
                    ["singularName"] = string.Empty,
                    ["namespaced"] = type.Namespaced,
                };
                if (sub.ResponseKind is { } response)
                {
                    // The legacy document names a subresource's own group and version only when they differ from the list's.
                    if (response.Group != type.Group || response.Version != type.Version)
                    {
                        subEntry["group"] = response.Group;
                        subEntry["version"] = response.Version;
                    }

                    subEntry["kind"] = response.Kind;
                }
                else
                {
                    subEntry["kind"] = type.Kind;
                }

                subEntry["verbs"] = Array(sub.Verbs);
                resources.Add(subEntry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated discovery document of <c>/api</c> (core) or <c>/apis</c> (named groups).</summary>
    public JsonObject Aggregated(bool core, string discoveryVersion)
    {
        var items = new JsonArray();
        foreach (var group in core ? new[] { string.Empty } : kinds.Groups)
        {
            var versions = new JsonArray();
            foreach (var version in kinds.VersionsOf(group))
            {
                var resources = new JsonArray();
                foreach (var served in kinds.KindsOf(group, version))
                {
                    var type = served.Type;
                    var kind = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
                    var entry = new JsonObject
                    {
                        ["resource"] = type.Plural,
                        ["responseKind"] = kind,
                        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = type.Singular,
                        ["verbs"] = Array(KindDescriptor.Verbs),
                    };
                    if (type.ShortNames.Count > 0)
                    {
                        entry["shortNames"] = Array(type.ShortNames);
                    }

                    if (served.Categories is { Count: > 0 } categories)
                    {
                        entry["categories"] = Array(categories);
                    }

                    var subresources = served.Subresources.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
                    if (subresources.Count > 0)
                    {
                        entry["subresources"] = new JsonArray([.. subresources.Select(s => (JsonNode)new JsonObject
                        {
                            ["subresource"] = s.Name,
                            ["responseKind"] = s.ResponseKind is { } response
                                ? new JsonObject { ["group"] = response.Group, ["version"] = response.Version, ["kind"] = response.Kind }
                                : kind.DeepClone(),
                            ["verbs"] = Array(s.Verbs),
                        })]);
                    }

                    resources.Add(entry);
                }

                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }

            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }

        if (!core)
        {
            items.Add(MetricsHandler.AggregatedEntry());
            foreach (var group in Auth.SelfReviewHandler.Groups)
            {
                items.Add(Auth.SelfReviewHandler.AggregatedEntry(group));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = AggregatedGroup + "/" + discoveryVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private JsonObject GroupBody(string group)
    {
        var versions = new JsonArray([.. kinds.VersionsOf(group).Select(v => (JsonNode)new JsonObject { ["groupVersion"] = group + "/" + v, ["version"] = v })]);
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = versions,
            ["preferredVersion"] = versions[0]!.DeepClone(),
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static string StorageVersionHash(ResourceType type)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type.Group}/{type.Version}/{type.Kind}"));
        return Convert.ToBase64String(hash, 0, 8);
    }
}
