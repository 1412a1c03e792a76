using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>Delete and deletecollection, with DeleteOptions from the body or the query.</summary>
internal sealed partial class ResourceHandler
{
    private async Task DeleteAsync(ResourceRequest request)
    {
        var deleteOptions = await ReadDeleteOptionsAsync(request);
        var (code, body) = await DeleteOneAsync(request, request.Key, deleteOptions with { Preconditions = ReadPreconditions(deleteOptions) });
        await ResponseWriter.WriteNodeAsync(request.Http, code, body, request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }

    private async Task DeleteCollectionAsync(ResourceRequest request)
    {
        var deleteOptions = await ReadDeleteOptionsAsync(request);
        var filter = BuildFilter(request, null);
        var list = await _registry.ListAsync(request.Type, request.Type.Namespaced ? request.Namespace : null, new ListQuery(filter), request.Cancellation);
        var deleted = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var item in list.Items)
        {
            var key = new ObjectKey(request.Type, request.Type.Namespaced ? item.Metadata.NamespaceProperty : null, item.Metadata.Name);
            try
            {
                var outcome = await _registry.DeleteAsync(key, deleteOptions with { Preconditions = new Preconditions(Uid: item.Metadata.Uid) }, request.Cancellation);
                deleted.Add(outcome.Object);
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
            {
                // Gone meanwhile, or replaced by a newer object of the same name: not part of this collection.
            }
            catch (ObjectRejectedException e) when (e.Reason == RejectionReason.Forbidden)
            {
                // The kind refuses to delete this one (a system namespace): the rest still go.
            }
        }

        await ResponseWriter.WriteNodeAsync(request.Http, 200, ListBody(request.Type, deleted, await _registry.Store.GetResourceVersionAsync(request.Cancellation), null, null), request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }

    private async Task<(int Code, JsonNode Body)> DeleteOneAsync(ResourceRequest request, ObjectKey key, DeleteOptions deleteOptions)
    {
        DeleteOutcome outcome;
        try
        {
            outcome = await _registry.DeleteAsync(key, deleteOptions, request.Cancellation);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            throw StatusErrors.NotFound(request.Type, key.Name);
        }

        return outcome.Removed
            ? RemovedAnswer(request, outcome.Object)
            : (200, KubeJson.ToNode(outcome.Object)!);
    }

    private static (int, JsonNode) RemovedAnswer(ResourceRequest request, IKubernetesObject<V1ObjectMeta> removed) =>
        request.Strategy.ReturnsDeletedObject
            ? (200, KubeJson.ToNode(removed)!)
            : (200, StatusJson.ToNode(StatusErrors.Success(request.Type, removed.Metadata.Name, removed.Metadata.Uid)));

    private static Preconditions? ReadPreconditions(DeleteOptions options) => options.Preconditions;

    /// <summary>Reads DeleteOptions from the body (kubectl sends one; the C# client may not) and the query.</summary>
    private async Task<DeleteOptions> ReadDeleteOptionsAsync(ResourceRequest request)
    {
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var deleteOptions = new V1DeleteOptions();
        if (raw.Length > 0)
        {
            ParsedBody parsed;
            try
            {
                parsed = BodyReader.Parse(raw, MediaType.Parse(request.Http.Request.ContentType), Kinds, _options.MaxNestingDepth);
            }
            catch (BodyFormatException e)
            {
                throw StatusErrors.BadRequest("couldn't get version/kind; json parse error: " + e.Message);
            }

            if (parsed.Node is JsonObject obj)
            {
                var kind = obj["kind"]?.ToString();
                if (kind is not (null or "" or "DeleteOptions"))
                {
                    throw StatusErrors.BadRequest($"{kind} in version \"v1\" cannot be handled as a DeleteOptions: no kind \"{kind}\" is registered for version \"meta.k8s.io/v1\"");
                }

                try
                {
                    deleteOptions = (V1DeleteOptions?)KubeJson.Deserialize(obj, typeof(V1DeleteOptions)) ?? deleteOptions;
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
                {
                    throw StatusErrors.BadRequest("DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: " + e.Message);
                }
            }
            else if (parsed.Node is not null)
            {
                throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type DeleteOptions)");
            }
        }

        var query = request.Query;
        if (RequestOptions.Long(query, "gracePeriodSeconds") is { } grace)
        {
            deleteOptions.GracePeriodSeconds = grace;
        }

        if (RequestOptions.String(query, "propagationPolicy") is { Length: > 0 } policy)
        {
            deleteOptions.PropagationPolicy = policy;
        }

        if (query.ContainsKey("orphanDependents"))
        {
            deleteOptions.OrphanDependents = RequestOptions.Bool(query, "orphanDependents");
        }

        if (RequestOptions.DryRun(query))
        {
            deleteOptions.DryRun = ["All"];
        }

        return ToDeleteOptions(deleteOptions);
    }

    /// <summary>Checks DeleteOptions as the API server does and turns them into the registry's.</summary>
    private static DeleteOptions ToDeleteOptions(V1DeleteOptions deleteOptions)
    {
        var errors = new List<FieldError>();
        if (deleteOptions.PropagationPolicy is { } p && !DeletionPropagation.PolicyNames.Contains(p, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("propagationPolicy", p, [.. DeletionPropagation.PolicyNames, string.Empty]));
        }

        if (deleteOptions.OrphanDependents is not null && deleteOptions.PropagationPolicy is not null)
        {
            errors.Add(FieldError.Invalid("propagationPolicy", deleteOptions.PropagationPolicy, "orphanDependents and deletionPropagation cannot be both set"));
        }

        if (deleteOptions.DryRun?.Any(d => d != "All") == true)
        {
            errors.Add(FieldError.NotSupported("dryRun", deleteOptions.DryRun.First(d => d != "All"), ["All"]));
        }

        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid("meta.k8s.io", "DeleteOptions", string.Empty, errors);
        }

        var preconditions = deleteOptions.Preconditions is { } p2 && (!string.IsNullOrEmpty(p2.Uid) || !string.IsNullOrEmpty(p2.ResourceVersion))
            ? new Preconditions(NullIfEmpty(p2.Uid), NullIfEmpty(p2.ResourceVersion))
            : null;
        return new DeleteOptions(
            deleteOptions.GracePeriodSeconds,
            DeletionPropagation.Parse(deleteOptions.PropagationPolicy),
            deleteOptions.OrphanDependents,
            preconditions,
            deleteOptions.DryRun is { Count: > 0 });
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
