using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Content.Protobuf;
using DurableKube.Api.Errors;
using DurableKube.Domain.Authorization;
using DurableKube.Domain.Kinds;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Auth;

/// <summary>
/// The self reviews, served by the API itself (nothing is stored): <c>authentication.k8s.io/v1</c> SelfSubjectReview
/// (<c>kubectl auth whoami</c>) and <c>authorization.k8s.io/v1</c> SelfSubjectAccessReview and SelfSubjectRulesReview
/// (<c>kubectl auth can-i</c>, <c>can-i --list</c>), answered from the caller's <see cref="ApiUser"/> and
/// <see cref="AccessPolicy"/>; and their groups' discovery documents.
/// </summary>
internal sealed class SelfReviewHandler(KindRegistry kinds, IOptions<KubernetesApiOptions> options)
{
    /// <summary>The authentication group.</summary>
    public const string AuthenticationGroup = "authentication.k8s.io";

    /// <summary>The authorization group.</summary>
    public const string AuthorizationGroup = "authorization.k8s.io";

    /// <summary>The version served of both groups.</summary>
    public const string Version = "v1";

    /// <summary>The resources served: group, plural, kind.</summary>
    private static readonly (string Group, string Plural, string Kind)[] Resources =
    [
        (AuthenticationGroup, "selfsubjectreviews", "SelfSubjectReview"),
        (AuthorizationGroup, "selfsubjectaccessreviews", "SelfSubjectAccessReview"),
        (AuthorizationGroup, "selfsubjectrulesreviews", "SelfSubjectRulesReview"),
    ];

    /// <summary>The groups served.</summary>
    public static IReadOnlyList<string> Groups { get; } = [AuthenticationGroup, AuthorizationGroup];

    /// <summary>Whether <paramref name="group"/> and <paramref name="plural"/> name a served review.</summary>
    public static bool Serves(string group, string plural) => Resources.Any(r => r.Group == group && r.Plural == plural);

    /// <summary>Serves a request of the groups.</summary>
    /// <param name="context">The request.</param>
    /// <param name="group">The group.</param>
    /// <param name="version">The version, if the path has one.</param>
    /// <param name="plural">The resource, if the path has one.</param>
    /// <param name="user">The caller.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task HandleAsync(HttpContext context, string group, string? version, string? plural, ApiUser user)
    {
        var aborted = context.RequestAborted;
        if (version is null || plural is null)
        {
            if (context.Request.Method is not ("GET" or "HEAD"))
            {
                throw StatusErrors.MethodNotAllowed();
            }

            await ResponseWriter.WriteNodeAsync(context, 200, version is null ? GroupDocument(group) : ResourceList(group), ResponseFormat.Json, aborted);
            return;
        }

        if (context.Request.Method != "POST")
        {
            throw StatusErrors.MethodNotAllowed();
        }

        var body = await BodyReader.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes, aborted);

        // kubectl sends these as protobuf (application/vnd.kubernetes.protobuf); other clients as JSON.
        var protobuf = body.AsSpan().StartsWith(ProtobufMagic);
        object answer = plural switch
        {
            "selfsubjectreviews" => WhoAmI(protobuf ? new V1SelfSubjectReview() : Parse<V1SelfSubjectReview>(body), user),
            "selfsubjectaccessreviews" => CanI(protobuf ? AccessReviewFromProtobuf(body) : Parse<V1SelfSubjectAccessReview>(body), user),
            _ => Rules(protobuf ? RulesReviewFromProtobuf(body) : Parse<V1SelfSubjectRulesReview>(body), user),
        };
        await ResponseWriter.WriteNodeAsync(context, 201, JsonNode.Parse(KubernetesJson.Serialize(answer)), ResponseFormat.Json, aborted);
    }

    private static readonly byte[] ProtobufMagic = [0x6b, 0x38, 0x73, 0x00];

    /// <summary>The raw object of a protobuf body (the <c>runtime.Unknown</c> envelope's field 2).</summary>
    private static byte[] RawObject(byte[] body)
    {
        var reader = new ProtobufReader(body.AsSpan(ProtobufMagic.Length));
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 2 && wire == 2)
            {
                return reader.ReadBytes().ToArray();
            }

            reader.Skip(wire);
        }

        return [];
    }

    /// <summary>The length-delimited fields of a message, by field number (strings and nested messages).</summary>
    private static Dictionary<int, byte[]> Fields(byte[] message)
    {
        var fields = new Dictionary<int, byte[]>();
        var reader = new ProtobufReader(message);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire == 2)
            {
                fields[field] = reader.ReadBytes().ToArray();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return fields;
    }

    private static string? Text(Dictionary<int, byte[]> fields, int number) =>
        fields.TryGetValue(number, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A SelfSubjectAccessReview from protobuf (k8s.io/api authorization/v1 generated.proto field numbers).</summary>
    private static V1SelfSubjectAccessReview AccessReviewFromProtobuf(byte[] body)
    {
        try
        {
            var review = Fields(RawObject(body));
            var spec = review.TryGetValue(2, out var s) ? Fields(s) : [];
            var result = new V1SelfSubjectAccessReviewSpec();
            if (spec.TryGetValue(1, out var r))
            {
                var a = Fields(r);
                result.ResourceAttributes = new V1ResourceAttributes
                {
                    NamespaceProperty = Text(a, 1), Verb = Text(a, 2), Group = Text(a, 3), Version = Text(a, 4),
                    Resource = Text(a, 5), Subresource = Text(a, 6), Name = Text(a, 7),
                };
            }

            if (spec.TryGetValue(2, out var n))
            {
                var a = Fields(n);
                result.NonResourceAttributes = new V1NonResourceAttributes { Path = Text(a, 1), Verb = Text(a, 2) };
            }

            return new V1SelfSubjectAccessReview { Spec = result };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidOperationException or BodyFormatException)
        {
            throw StatusErrors.BadRequest("the request body is not a valid SelfSubjectAccessReview: " + e.Message);
        }
    }

    /// <summary>A SelfSubjectRulesReview from protobuf: its spec's namespace.</summary>
    private static V1SelfSubjectRulesReview RulesReviewFromProtobuf(byte[] body)
    {
        try
        {
            var review = Fields(RawObject(body));
            var spec = review.TryGetValue(2, out var s) ? Fields(s) : [];
            return new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = Text(spec, 1) } };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidOperationException or BodyFormatException)
        {
            throw StatusErrors.BadRequest("the request body is not a valid SelfSubjectRulesReview: " + e.Message);
        }
    }

    private static T Parse<T>(byte[] body)
        where T : class
    {
        try
        {
            return (body.Length == 0 ? null : KubernetesJson.Deserialize<T>(System.Text.Encoding.UTF8.GetString(body)))
                ?? throw StatusErrors.BadRequest("the request body is empty");
        }
        catch (JsonException e)
        {
            throw StatusErrors.BadRequest("the request body is not a valid " + typeof(T).Name[2..] + ": " + e.Message);
        }
    }

    private static V1SelfSubjectReview WhoAmI(V1SelfSubjectReview review, ApiUser user) => new()
    {
        ApiVersion = AuthenticationGroup + "/" + Version,
        Kind = "SelfSubjectReview",
        Metadata = new V1ObjectMeta { CreationTimestamp = null, Name = review.Metadata?.Name },
        Status = new V1SelfSubjectReviewStatus
        {
            UserInfo = new V1UserInfo { Username = user.Name, Uid = user.Uid, Groups = [.. user.Groups] },
        },
    };

    private static V1SelfSubjectAccessReview CanI(V1SelfSubjectAccessReview review, ApiUser user)
    {
        var spec = review.Spec ?? throw StatusErrors.Unprocessable("spec: Required value");
        RequestAttributes asked;
        if (spec.ResourceAttributes is { } r && spec.NonResourceAttributes is null)
        {
            asked = RequestAttributes.ForResource(r.Verb ?? string.Empty, r.Group ?? string.Empty, r.Resource ?? string.Empty, r.Subresource, r.NamespaceProperty, r.Name);
        }
        else if (spec.NonResourceAttributes is { } n && spec.ResourceAttributes is null)
        {
            asked = RequestAttributes.ForPath(n.Verb ?? string.Empty, n.Path ?? string.Empty);
        }
        else
        {
            throw StatusErrors.Unprocessable("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }

        var allowed = AccessPolicy.Allows(user.Role, asked);
        return new V1SelfSubjectAccessReview
        {
            ApiVersion = AuthorizationGroup + "/" + Version,
            Kind = "SelfSubjectAccessReview",
            Metadata = new V1ObjectMeta { CreationTimestamp = null },
            Spec = spec,
            Status = new V1SubjectAccessReviewStatus
            {
                Allowed = allowed,
                // As RBAC: a reason for an allowance, none for a refusal (kubectl then prints a bare "no").
                Reason = allowed ? $"allowed by role {RoleName(user.Role)}" : null,
            },
        };
    }

    private V1SelfSubjectRulesReview Rules(V1SelfSubjectRulesReview review, ApiUser user)
    {
        var served = kinds.All.Select(k => (k.Type.Group, k.Type.Plural))
            .Concat(Metrics.MetricsHandler.Resources.Select(r => (Metrics.MetricsHandler.Group, r.Plural)));
        var (resources, paths) = AccessPolicy.Rules(user.Role, served);
        return new V1SelfSubjectRulesReview
        {
            ApiVersion = AuthorizationGroup + "/" + Version,
            Kind = "SelfSubjectRulesReview",
            Metadata = new V1ObjectMeta { CreationTimestamp = null },
            Spec = review.Spec ?? new V1SelfSubjectRulesReviewSpec(),
            Status = new V1SubjectRulesReviewStatus
            {
                Incomplete = false,
                ResourceRules = [.. resources.Select(rule => new V1ResourceRule { Verbs = [.. rule.Verbs], ApiGroups = [.. rule.Groups], Resources = [.. rule.Targets] })],
                NonResourceRules = [.. paths.Select(rule => new V1NonResourceRule { Verbs = [.. rule.Verbs], NonResourceURLs = [.. rule.Targets] })],
            },
        };
    }

    private static string RoleName(ApiRole role) => role == ApiRole.Admin ? "admin" : "view";

    /// <summary>The legacy discovery document of a group.</summary>
    public static JsonObject GroupDocument(string group)
    {
        var entry = GroupEntry(group);
        entry["kind"] = "APIGroup";
        entry["apiVersion"] = "v1";
        return entry;
    }

    /// <summary>A group's entry in <c>/apis</c>.</summary>
    public static JsonObject GroupEntry(string group) => new()
    {
        ["name"] = group,
        ["versions"] = new JsonArray(GroupVersion(group)),
        ["preferredVersion"] = GroupVersion(group),
    };

    /// <summary>The <c>APIResourceList</c> of a group's version.</summary>
    public static JsonObject ResourceList(string group) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = group + "/" + Version,
        ["resources"] = new JsonArray([.. Resources.Where(r => r.Group == group).Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Plural,
            ["singularName"] = r.Kind.ToLowerInvariant(),
            ["namespaced"] = false,
            ["kind"] = r.Kind,
            ["verbs"] = new JsonArray("create"),
        })]),
    };

    /// <summary>A group's entry in the aggregated discovery document of <c>/apis</c>.</summary>
    public static JsonObject AggregatedEntry(string group) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
        ["versions"] = new JsonArray(new JsonObject
        {
            ["version"] = Version,
            ["resources"] = new JsonArray([.. Resources.Where(r => r.Group == group).Select(r => (JsonNode)new JsonObject
            {
                ["resource"] = r.Plural,
                ["responseKind"] = new JsonObject { ["group"] = group, ["version"] = Version, ["kind"] = r.Kind },
                ["scope"] = "Cluster",
                ["singularResource"] = r.Kind.ToLowerInvariant(),
                ["verbs"] = new JsonArray("create"),
            })]),
            ["freshness"] = "Current",
        }),
    };

    private static JsonObject GroupVersion(string group) => new() { ["groupVersion"] = group + "/" + Version, ["version"] = Version };
}
