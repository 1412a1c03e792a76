using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.OpenApi;

/// <summary>
/// The smallest OpenAPI v3 documents that let a validating <c>kubectl create/apply</c> work: per
/// group-version, each type's object path with a <c>patch</c> operation tagged
/// <c>x-kubernetes-group-version-kind</c> that takes <c>fieldValidation</c> in the query, so kubectl
/// sends <c>fieldValidation=Strict</c> and leaves validation to the server. No schemas are served
/// (kubectl then computes apply patches from its built-in types).
/// </summary>
/// <param name="kinds">The served kinds.</param>
internal sealed class OpenApiDocuments(KindRegistry kinds)
{
    public JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions())
        {
            var key = PathKey(group, version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(Document(group, version))}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public JsonObject Document(string group, string version)
    {
        var paths = new JsonObject();
        foreach (var kind in kinds.KindsOf(group, version))
        {
            var type = kind.Type;
            var prefix = group.Length == 0 ? "/api/" + version : $"/apis/{group}/{version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            paths[collection] = new JsonObject
            {
                ["post"] = Operation("create", type, collection),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["put"] = Operation("replace", type, collection + "/{name}"),
                ["patch"] = Operation("patch", type, collection + "/{name}"),
            };
            if (kind.Serves(Subresource.Status.Name, "patch"))
            {
                paths[collection + "/{name}/status"] = new JsonObject
                {
                    ["put"] = Operation("replaceStatus", type, collection + "/{name}/status"),
                    ["patch"] = Operation("patchStatus", type, collection + "/{name}/status"),
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    public static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));

    private IEnumerable<(string Group, string Version)> GroupVersions() =>
        kinds.All.Select(k => (k.Type.Group, k.Type.Version)).Distinct();

    private static string PathKey(string group, string version) => group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";

    private static JsonObject Operation(string verb, ResourceType type, string path)
    {
        var parameters = new JsonArray();
        foreach (var name in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var name in (string[])["dryRun", "fieldManager", "fieldValidation"])
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } });
        }

        var scope = type.Namespaced ? "Namespaced" : string.Empty;
        var groupPart = type.Group.Length == 0 ? "Core" : string.Concat(type.Group.Split('.')[0][..1].ToUpperInvariant(), type.Group.Split('.')[0][1..]);
        return new JsonObject
        {
            ["operationId"] = $"{verb}{groupPart}{Capitalize(type.Version)}{scope}{type.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = verb.StartsWith("patch", StringComparison.Ordinal) ? "patch" : verb == "create" ? "post" : "put",
            ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        };
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
