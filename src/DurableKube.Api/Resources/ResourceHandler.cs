using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Pods;
using DurableKube.Api.Tables;
using DurableKube.Api.Watch;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Resources;

/// <summary>
/// The generic store-backed REST of every registered type (the API server's generic registry and
/// its handlers): get, list, watch, create, update, patch, delete, deletecollection, and the
/// status subresource, with the type's <see cref="Domain.Strategies.ObjectStrategy"/> applying its rules.
/// </summary>
internal sealed partial class ResourceHandler(
    IObjectStore store,
    TimeProvider time,
    IOptions<KubernetesApiOptions> options,
    WatchHandler watch,
    PodLogHandler logs,
    ILogger<ResourceHandler> logger)
{
    private static readonly HashSet<string> ImmortalNamespaces = new(StringComparer.Ordinal)
    {
        "default", "kube-system", "kube-public", "kube-node-lease",
    };

    private readonly KubernetesApiOptions _options = options.Value;

    public Task HandleAsync(ResourceRequest request)
    {
        var method = request.Http.Request.Method;
        var route = request.Route;
        if (route.Subresource is { } subresource)
        {
            return (subresource, method) switch
            {
                ("log", "GET") when request.Type == ResourceTypes.Pods => logs.HandleAsync(request),
                ("status", "GET") when request.Strategy.HasStatus => GetAsync(request),
                ("status", "PUT") when request.Strategy.HasStatus => UpdateAsync(request, UpdateKind.Status),
                ("status", "PATCH") when request.Strategy.HasStatus => PatchAsync(request, UpdateKind.Status),
                ("finalize", "PUT") when request.Type == ResourceTypes.Namespaces => UpdateAsync(request, UpdateKind.Finalize),
                ("log", _) when request.Type == ResourceTypes.Pods => throw StatusErrors.MethodNotAllowed(),
                ("status", _) when request.Strategy.HasStatus => throw StatusErrors.MethodNotAllowed(),
                ("finalize", _) when request.Type == ResourceTypes.Namespaces => throw StatusErrors.MethodNotAllowed(),
                _ => throw StatusErrors.RouteNotFound(),
            };
        }

        var watching = route.WatchPrefix || RequestOptions.Bool(request.Query, "watch");
        if (route.Name is null)
        {
            var allNamespaces = request.Type.Namespaced && request.Namespace is null;
            return method switch
            {
                "GET" when watching => watch.HandleAsync(request, BuildFilter(request, null)),
                "GET" => ListAsync(request),
                _ when route.WatchPrefix => throw StatusErrors.MethodNotAllowed(),
                "POST" when !allNamespaces => CreateAsync(request),
                "DELETE" when !allNamespaces => DeleteCollectionAsync(request),
                _ => throw StatusErrors.MethodNotAllowed(),
            };
        }

        return method switch
        {
            "GET" when watching => watch.HandleAsync(request, BuildFilter(request, route.Name)),
            "GET" => GetAsync(request),
            _ when route.WatchPrefix => throw StatusErrors.MethodNotAllowed(),
            "PUT" => UpdateAsync(request, UpdateKind.Main),
            "PATCH" => PatchAsync(request, UpdateKind.Main),
            "DELETE" => DeleteAsync(request),
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
            var fieldFilter = fields.Requirements.Count == 0 ? null : SelectableFields.Compile(request.Type, fields);
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

    private async Task GetAsync(ResourceRequest request)
    {
        var obj = await store.GetAsync(request.Key, request.Cancellation) ?? throw StatusErrors.NotFound(request.Type, request.Name);
        await WriteObjectAsync(request, 200, obj);
    }

    private async Task ListAsync(ResourceRequest request)
    {
        var filter = BuildFilter(request, null);
        var limit = RequestOptions.Long(request.Query, "limit");
        _ = RequestOptions.ResourceVersion(request.Query);
        var includeObject = TableWriter.IncludeObject(RequestOptions.String(request.Query, "includeObject"));
        var list = await store.ListAsync(
            request.Type,
            request.Type.Namespaced ? request.Namespace : null,
            new ListQuery(filter, limit is > 0 ? (int)Math.Min(limit.Value, int.MaxValue) : null, RequestOptions.String(request.Query, "continue")),
            request.Cancellation);
        JsonNode body = request.Format.Shape switch
        {
            ResponseShape.Table => TableWriter.Table(request.Type, list.Items, list.ResourceVersion, list.Continue, list.RemainingItemCount, request.Format.MetaVersion, includeObject, time.GetUtcNow()),
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
        var obj = ObjectDecoder.Decode(request.Http, request.Type, ParseBody(request, raw), validation, ObjectDecoder.Summarize(raw));
        request.Strategy.Default(obj);
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

            await CheckNamespaceAcceptsAsync(request, meta.Name ?? meta.GenerateName ?? string.Empty);
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        if (!string.IsNullOrEmpty(meta.ResourceVersion))
        {
            throw StatusErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }

        request.Strategy.PrepareForCreate(obj);
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = GracefulDeletion.Truncate(time.GetUtcNow());
        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        if (generated)
        {
            meta.Name = NameGenerator.Generate(meta.GenerateName!);
            request.Strategy.Default(obj);
        }

        var errors = request.Strategy.Validate(obj);
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(request.Type, meta.Name ?? string.Empty, errors);
        }

        if (dryRun)
        {
            await WriteObjectAsync(request, 201, obj);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await store.CreateAsync(request.Type, obj, request.Cancellation);
                Log.ObjectCreated(logger, request.Type.GroupResource, meta.NamespaceProperty, meta.Name!);
                await WriteObjectAsync(request, 201, stored);
                return;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
            {
                if (!generated || attempt >= _options.GenerateNameRetries)
                {
                    throw StatusErrors.AlreadyExists(request.Type, meta.Name!);
                }

                meta.Name = NameGenerator.Generate(meta.GenerateName!);
            }
        }
    }

    private async Task CheckNamespaceAcceptsAsync(ResourceRequest request, string name)
    {
        var ns = await store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, request.Namespace!), request.Cancellation) as V1Namespace
            ?? throw StatusErrors.NotFound(ResourceTypes.Namespaces, request.Namespace!);
        if (ns.Metadata.DeletionTimestamp is not null || ns.Status?.Phase == "Terminating")
        {
            var error = StatusErrors.Forbidden(request.Type, name, $"unable to create new content in namespace {request.Namespace} because it is being terminated");
            error.Status.Details.Causes = [new V1StatusCause { Reason = "NamespaceTerminating", Message = $"namespace {request.Namespace} is being terminated", Field = "metadata.namespace" }];
            throw error;
        }
    }

    private static ParsedBody ParseBody(ResourceRequest request, byte[] raw)
    {
        try
        {
            return BodyReader.Parse(raw, MediaType.Parse(request.Http.Request.ContentType));
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
            ResponseShape.Table => TableWriter.Table(request.Type, [obj], null, null, null, request.Format.MetaVersion,
                TableWriter.IncludeObject(RequestOptions.String(request.Query, "includeObject")), time.GetUtcNow()),
            ResponseShape.PartialMetadata => TableWriter.PartialMetadata(obj, request.Format.MetaVersion),
            _ => KubeJson.ToNode(obj)!,
        };
        return ResponseWriter.WriteNodeAsync(request.Http, code, body, request.Format, request.Cancellation);
    }
}
