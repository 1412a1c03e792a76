using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>Delete and deletecollection, with DeleteOptions from the body or the query.</summary>
internal sealed partial class ResourceHandler
{
    private static readonly string[] PropagationPolicies = ["Foreground", "Background", "Orphan"];

    private async Task DeleteAsync(ResourceRequest request)
    {
        var deleteOptions = await ReadDeleteOptionsAsync(request);
        if (request.Type == ResourceTypes.Namespaces && ImmortalNamespaces.Contains(request.Name))
        {
            throw StatusErrors.Forbidden(request.Type, request.Name, "this namespace may not be deleted");
        }

        var (code, body) = await DeleteOneAsync(request, request.Key, deleteOptions, checkPreconditions: true);
        await ResponseWriter.WriteNodeAsync(request.Http, code, body, request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }

    private async Task DeleteCollectionAsync(ResourceRequest request)
    {
        var deleteOptions = await ReadDeleteOptionsAsync(request);
        var filter = BuildFilter(request, null);
        var list = await store.ListAsync(request.Type, request.Type.Namespaced ? request.Namespace : null, new ListQuery(filter), request.Cancellation);
        var deleted = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var item in list.Items)
        {
            if (request.Type == ResourceTypes.Namespaces && ImmortalNamespaces.Contains(item.Metadata.Name))
            {
                continue;
            }

            var key = new ObjectKey(request.Type, request.Type.Namespaced ? item.Metadata.NamespaceProperty : null, item.Metadata.Name);
            try
            {
                var (_, result) = await DeleteOneAsync(request, key, deleteOptions, checkPreconditions: false);
                deleted.Add(result is JsonObject o && o["kind"]?.GetValue<string>() != "Status" ? (IKubernetesObject<V1ObjectMeta>)KubeJson.Deserialize(o, request.Type.ObjectType)! : item);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone meanwhile: nothing to do.
            }
        }

        await ResponseWriter.WriteNodeAsync(request.Http, 200, ListBody(request.Type, deleted, await store.GetResourceVersionAsync(request.Cancellation), null, null), request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }

    private async Task<(int Code, JsonNode Body)> DeleteOneAsync(ResourceRequest request, ObjectKey key, V1DeleteOptions deleteOptions, bool checkPreconditions)
    {
        void Verify(IKubernetesObject<V1ObjectMeta> existing)
        {
            if (checkPreconditions)
            {
                CheckPreconditions(request, key.Name, existing, deleteOptions.Preconditions);
            }
        }

        if (deleteOptions.DryRun is { Count: > 0 })
        {
            // What the delete would do, without doing it.
            var existing = await store.GetAsync(key, request.Cancellation) ?? throw StatusErrors.NotFound(request.Type, key.Name);
            Verify(existing);
            var marked = KubeJson.Clone(existing);
            var action = request.Strategy.PlanDelete(marked, deleteOptions.GracePeriodSeconds, time.GetUtcNow());
            return action is DeletionAction.Remove or DeletionAction.UpdateThenRemove
                ? RemovedAnswer(request, existing)
                : (200, KubeJson.ToNode(action == DeletionAction.Unchanged ? existing : marked)!);
        }

        DeleteOutcome outcome;
        try
        {
            outcome = await store.DeleteGracefullyAsync(key, deleteOptions.GracePeriodSeconds, time.GetUtcNow(), Verify, request.Cancellation);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            throw StatusErrors.NotFound(request.Type, key.Name);
        }

        if (outcome.Removed)
        {
            Log.ObjectDeleted(logger, request.Type.GroupResource, key.Namespace, key.Name);
            return RemovedAnswer(request, outcome.Object);
        }

        if (outcome.Action == DeletionAction.Update)
        {
            Log.ObjectMarkedForDeletion(logger, request.Type.GroupResource, key.Namespace, key.Name);
        }

        return (200, KubeJson.ToNode(outcome.Object)!);
    }

    private static (int, JsonNode) RemovedAnswer(ResourceRequest request, IKubernetesObject<V1ObjectMeta> removed) =>
        request.Strategy.ReturnsDeletedObject
            ? (200, KubeJson.ToNode(removed)!)
            : (200, StatusJson.ToNode(StatusErrors.Success(request.Type, removed.Metadata.Name, removed.Metadata.Uid)));

    private static void CheckPreconditions(ResourceRequest request, string name, IKubernetesObject<V1ObjectMeta> existing, V1Preconditions? preconditions)
    {
        if (preconditions?.Uid is { Length: > 0 } uid && uid != existing.Metadata.Uid)
        {
            throw StatusErrors.Conflict(request.Type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Metadata.Uid}");
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && rv != existing.Metadata.ResourceVersion)
        {
            throw StatusErrors.Conflict(request.Type, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.Metadata.ResourceVersion}");
        }
    }

    /// <summary>Reads DeleteOptions from the body (kubectl sends one; the C# client may not) and the query.</summary>
    private async Task<V1DeleteOptions> ReadDeleteOptionsAsync(ResourceRequest request)
    {
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var deleteOptions = new V1DeleteOptions();
        if (raw.Length > 0)
        {
            ParsedBody parsed;
            try
            {
                parsed = BodyReader.Parse(raw, MediaType.Parse(request.Http.Request.ContentType));
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

        var errors = new List<FieldError>();
        if (deleteOptions.PropagationPolicy is { } p && !PropagationPolicies.Contains(p, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported("propagationPolicy", p, [.. PropagationPolicies, string.Empty]));
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

        return deleteOptions;
    }
}
