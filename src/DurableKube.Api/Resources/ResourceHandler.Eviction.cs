using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Nodes;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>
/// The Eviction subresource of pods (pkg/registry/core/pod/storage/eviction.go): <c>POST pods/{name}/eviction</c> with a
/// <c>policy/v1</c> (or <c>v1beta1</c>) Eviction deletes the pod gracefully with the Eviction's deleteOptions, after marking
/// it with the <c>DisruptionTarget</c> condition, and answers 201 with a Success status. PodDisruptionBudgets are not
/// served, so no budget ever refuses an eviction (a cluster would answer 429 when one would be violated).
/// </summary>
internal sealed partial class ResourceHandler
{
    /// <summary>The <c>DisruptionTarget</c> reason of a pod deleted through the Eviction API.</summary>
    private const string EvictionByEvictionApi = "EvictionByEvictionAPI";

    private async Task EvictAsync(ResourceRequest request)
    {
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var node = ParseBody(request, raw).Node as JsonObject
            ?? throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Eviction)");
        // A body without kind and apiVersion is read as the Eviction the URL expects (the apiserver decodes with that default).
        var kind = node["kind"]?.ToString();
        var apiVersion = node["apiVersion"]?.ToString();
        if ((!string.IsNullOrEmpty(kind) && kind != "Eviction") || (!string.IsNullOrEmpty(apiVersion) && apiVersion is not ("policy/v1" or "policy/v1beta1")))
        {
            throw StatusErrors.BadRequest($"the object provided is unrecognized (must be of type Eviction): {apiVersion}, Kind={kind}");
        }

        V1Eviction eviction;
        try
        {
            eviction = (V1Eviction?)KubeJson.Deserialize(node, typeof(V1Eviction)) ?? throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Eviction)");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest("Eviction in version \"v1\" cannot be handled as a Eviction: " + e.Message);
        }

        if (eviction.Metadata?.Name != request.Name)
        {
            throw StatusErrors.BadRequest("name in URL does not match name in Eviction object");
        }

        var deleteOptions = ToDeleteOptions(eviction.DeleteOptions ?? new V1DeleteOptions());
        if (RequestOptions.DryRun(request.Query))
        {
            deleteOptions = deleteOptions with { DryRun = true };
        }

        var pod = await _registry.GetAsync<V1Pod>(ResourceTypes.Pods, request.Namespace, request.Name, request.Cancellation)
            ?? throw StatusErrors.NotFound(request.Type, request.Name);
        if (deleteOptions.Preconditions?.Uid is { } uid && uid != pod.Metadata.Uid)
        {
            throw StatusErrors.Conflict(request.Type, request.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod.Metadata.Uid}");
        }

        var preconditions = deleteOptions.Preconditions ?? new Preconditions(Uid: pod.Metadata.Uid);
        if (!deleteOptions.DryRun && pod.Metadata.DeletionTimestamp is null && !NodeLifecycle.Finished(pod))
        {
            try
            {
                await _registry.UpdateAsync(
                    request.Key,
                    obj => NodeLifecycle.MarkDisruptionTarget((V1Pod)obj, EvictionByEvictionApi, "Eviction API: evicting", _time.GetUtcNow()) ? obj : null,
                    new UpdateOptions(Subresource.Status.Name, Preconditions: preconditions),
                    request.Cancellation);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
            {
                throw StatusErrors.NotFound(request.Type, request.Name);
            }
        }

        try
        {
            await _registry.DeleteAsync(request.Key, deleteOptions with { Preconditions = preconditions }, request.Cancellation);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            throw StatusErrors.NotFound(request.Type, request.Name);
        }

        await ResponseWriter.WriteNodeAsync(
            request.Http, 201, StatusJson.ToNode(new V1Status { ApiVersion = "v1", Kind = "Status", Metadata = new V1ListMeta(), Status = "Success" }),
            request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }
}
