using System.Globalization;
using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Pods;
using DurableKube.Api.Proxy;
using DurableKube.Api.Streaming;
using DurableKube.Api.Tables;
using DurableKube.Api.Watch;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Resources;

/// <summary>
/// The REST of every registered kind (the API server's handlers over its generic registry): get, list,
/// watch, create, update, patch, delete, deletecollection, and the subresources the kind's descriptor
/// lists. Requests are decoded and answered here; every write goes through the <see cref="ObjectRegistry"/>,
/// which applies the kind's rules.
/// </summary>
internal sealed partial class ResourceHandler
{
    /// <summary>The subresources this handler knows how to serve; a kind listing another fails at start-up.</summary>
    private static readonly HashSet<string> ServedSubresources = new(StringComparer.Ordinal)
    {
        Subresource.Status.Name, Subresource.Log.Name, Subresource.Binding.Name, Subresource.Finalize.Name, Subresource.Scale.Name,
        Subresource.EphemeralContainers.Name, Subresource.Exec.Name, Subresource.Attach.Name, Subresource.PortForward.Name, Subresource.Proxy.Name,
        Subresource.Eviction.Name,
    };

    private readonly ObjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly KubernetesApiOptions _options;
    private readonly WatchHandler _watch;
    private readonly PodLogHandler _logs;
    private readonly PodStreamHandler _streams;
    private readonly PortForwardHandler _portForward;
    private readonly ProxyHandler _proxy;

    public ResourceHandler(
        ObjectRegistry registry, TimeProvider time, IOptions<KubernetesApiOptions> options, WatchHandler watch, PodLogHandler logs,
        PodStreamHandler streams, PortForwardHandler portForward, ProxyHandler proxy)
    {
        var unserved = registry.Kinds.All.SelectMany(k => k.Subresources.Select(s => (Kind: k, s.Name))).Where(p => !ServedSubresources.Contains(p.Name)).ToList();
        if (unserved.Count > 0)
        {
            throw new InvalidOperationException(
                "The API has no handler for these subresources: " + string.Join(", ", unserved.Select(p => $"{p.Kind.Type.GroupResource}/{p.Name}")));
        }

        _registry = registry;
        _time = time;
        _options = options.Value;
        _watch = watch;
        _logs = logs;
        _streams = streams;
        _portForward = portForward;
        _proxy = proxy;
    }

    private KindRegistry Kinds => _registry.Kinds;

    public Task HandleAsync(ResourceRequest request)
    {
        var method = request.Http.Request.Method;
        var route = request.Route;
        if (route.Subresource == Subresource.Proxy.Name && request.Kind.Has(Subresource.Proxy.Name) && !route.WatchPrefix)
        {
            // Every method goes through to the backend.
            return _proxy.HandleAsync(request);
        }

        if (route.Subresource is { } subresource)
        {
            return HandleSubresourceAsync(request, subresource, method);
        }

        var watching = route.WatchPrefix || RequestOptions.Bool(request.Query, "watch");
        if (route.Name is null)
        {
            var allNamespaces = request.Type.Namespaced && request.Namespace is null;
            return method switch
            {
                "GET" when watching => _watch.HandleAsync(request, BuildFilter(request, null)),
                "GET" => ListAsync(request),
                _ when route.WatchPrefix => throw StatusErrors.MethodNotAllowed(),
                "POST" when !allNamespaces => CreateAsync(request),
                "DELETE" when !allNamespaces => DeleteCollectionAsync(request),
                _ => throw StatusErrors.MethodNotAllowed(),
            };
        }

        return method switch
        {
            "GET" when watching => _watch.HandleAsync(request, BuildFilter(request, route.Name)),
            "GET" => GetAsync(request),
            _ when route.WatchPrefix => throw StatusErrors.MethodNotAllowed(),
            "PUT" => UpdateAsync(request, subresource: null),
            "PATCH" => PatchAsync(request, subresource: null),
            "DELETE" => DeleteAsync(request),
            _ => throw StatusErrors.MethodNotAllowed(),
        };
    }

    /// <summary>Serves a subresource the kind lists, with the verbs it lists for it.</summary>
    private Task HandleSubresourceAsync(ResourceRequest request, string subresource, string method)
    {
        if (!request.Kind.Has(subresource) || request.Route.WatchPrefix)
        {
            throw StatusErrors.RouteNotFound();
        }

        var verb = method switch
        {
            "GET" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "POST" => "create",
            _ => string.Empty,
        };
        if (!request.Kind.Serves(subresource, verb))
        {
            throw StatusErrors.MethodNotAllowed();
        }

        return (subresource, verb) switch
        {
            ("log", _) => _logs.HandleAsync(request),
            ("exec", _) => _streams.ExecAsync(request),
            ("attach", _) => _streams.AttachAsync(request),
            ("portforward", _) => _portForward.HandleAsync(request),
            ("binding", _) => BindAsync(request),
            ("eviction", _) => EvictAsync(request),
            ("scale", "get") => GetScaleAsync(request),
            ("scale", "update") => UpdateScaleAsync(request),
            ("scale", "patch") => PatchScaleAsync(request),
            (_, "get") => GetAsync(request),
            (_, "update") => UpdateAsync(request, subresource),
            (_, "patch") => PatchAsync(request, subresource),
            _ => throw StatusErrors.MethodNotAllowed(),
        };
    }

    /// <summary>Compiles labelSelector and fieldSelector (and a watched object's name) into a store filter.</summary>
    internal static Func<IKubernetesObject<V1ObjectMeta>, bool>? BuildFilter(ResourceRequest request, string? name)
    {
        try
        {
            var labels = LabelSelector.Parse(RequestOptions.String(request.Query, "labelSelector"));
            var fieldText = RequestOptions.String(request.Query, "fieldSelector");
            if (name is not null)
            {
                fieldText = string.IsNullOrEmpty(fieldText) ? "metadata.name=" + FieldSelector.EscapeValue(name) : fieldText + ",metadata.name=" + FieldSelector.EscapeValue(name);
            }

            var fields = FieldSelector.Parse(fieldText);
            var fieldFilter = fields.Requirements.Count == 0 ? null : SelectableFields.Compile(request.Kind, fields);
            if (labels.IsEverything && fieldFilter is null)
            {
                return null;
            }

            return obj => labels.Matches(obj.Metadata?.Labels) && (fieldFilter is null || fieldFilter(obj));
        }
        catch (SelectorParseException e)
        {
            throw StatusErrors.BadRequest(e.Message);
        }
    }

    /// <summary>
    /// The page size of a list: the client's <c>limit</c> up to <paramref name="max"/> (the API server may return fewer
    /// items than asked, with a continue token); none (or 0 or less, which the API server reads as none) pages nothing.
    /// </summary>
    internal static int? PageSize(long? limit, int max) => limit is > 0 ? (int)Math.Min(limit.Value, max) : null;

    private async Task GetAsync(ResourceRequest request)
    {
        var obj = await _registry.GetAsync(request.Key, request.Cancellation) ?? throw StatusErrors.NotFound(request.Type, request.Name);
        await WriteObjectAsync(request, 200, obj);
    }

    private async Task ListAsync(ResourceRequest request)
    {
        var filter = BuildFilter(request, null);
        var limit = RequestOptions.Long(request.Query, "limit");
        var options = ListOptions.Read(request.Query, watch: false);
        if (options.Constraint is not null && options.CheckBefore(ulong.Parse(await _registry.Store.GetResourceVersionAsync(request.Cancellation), CultureInfo.InvariantCulture)) is { } tooNew)
        {
            throw tooNew;
        }

        var includeObject = TableWriter.IncludeObject(RequestOptions.String(request.Query, "includeObject"));
        var list = await _registry.ListAsync(
            request.Type,
            request.Type.Namespaced ? request.Namespace : null,
            new ListQuery(filter, PageSize(limit, _options.MaxListLimit), options.Continue),
            request.Cancellation);
        if (options.CheckAfter(ulong.Parse(list.ResourceVersion, CultureInfo.InvariantCulture)) is { } expired)
        {
            throw expired;
        }

        JsonNode body = request.Format.Shape switch
        {
            ResponseShape.Table => TableWriter.Table(request.Kind, list.Items, list.ResourceVersion, list.Continue, list.RemainingItemCount, request.Format.MetaVersion, includeObject, _time.GetUtcNow()),
            ResponseShape.PartialMetadata => TableWriter.PartialMetadataList(list.Items, list.ResourceVersion, list.Continue, request.Format.MetaVersion),
            _ => ListBody(request.Type, list.Items, list.ResourceVersion, list.Continue, list.RemainingItemCount),
        };
        await ResponseWriter.WriteNodeAsync(request.Http, 200, body, request.Format, request.Cancellation);
    }

    private static JsonObject ListBody(ResourceType type, IEnumerable<IKubernetesObject<V1ObjectMeta>> items, string resourceVersion, string? continueToken, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        if (remaining is { } count)
        {
            metadata["remainingItemCount"] = count;
        }

        return new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items.Select(KubeJson.ToNode)]),
        };
    }

    private async Task CreateAsync(ResourceRequest request)
    {
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var obj = ObjectDecoder.Decode(request.Http, Kinds, request.Type, ParseBody(request, raw), validation, ObjectDecoder.Summarize(raw));
        var meta = obj.Metadata;
        if (request.Type.Namespaced)
        {
            if (string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                meta.NamespaceProperty = request.Namespace;
            }
            else if (meta.NamespaceProperty != request.Namespace)
            {
                throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
        }

        var stored = await _registry.CreateAsync(request.Type, obj, new CreateOptions(dryRun) { FieldManager = FieldManagerOf(request) }, request.Cancellation);
        await WriteObjectAsync(request, 201, stored);
    }

    private ParsedBody ParseBody(ResourceRequest request, byte[] raw)
    {
        try
        {
            return BodyReader.Parse(raw, MediaType.Parse(request.Http.Request.ContentType), Kinds, _options.MaxNestingDepth);
        }
        catch (BodyFormatException e)
        {
            throw ObjectDecoder.Unrecognized(request.Type, "couldn't get version/kind; json parse error: " + e.Message, ObjectDecoder.Summarize(raw));
        }
    }

    private Task WriteObjectAsync(ResourceRequest request, int code, IKubernetesObject<V1ObjectMeta> obj)
    {
        JsonNode body = request.Format.Shape switch
        {
            ResponseShape.Table => TableWriter.Table(request.Kind, [obj], null, null, null, request.Format.MetaVersion,
                TableWriter.IncludeObject(RequestOptions.String(request.Query, "includeObject")), _time.GetUtcNow()),
            ResponseShape.PartialMetadata => TableWriter.PartialMetadata(obj, request.Format.MetaVersion),
            _ => KubeJson.ToNode(obj)!,
        };
        return ResponseWriter.WriteNodeAsync(request.Http, code, body, request.Format, request.Cancellation);
    }
}
