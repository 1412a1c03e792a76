using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Patching;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>Update (PUT) and patch (PATCH) of the main resource and of its status and finalize subresources.</summary>
internal sealed partial class ResourceHandler
{
    private const int MaxUpdateAttempts = 16;

    private const string ApplyNotServedMessage =
        "the server does not serve server-side apply (application/apply-patch+yaml) yet; use client-side apply: kubectl apply without --server-side";

    private const string PatchTypesMessage =
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json";

    private async Task UpdateAsync(ResourceRequest request, UpdateKind kind)
    {
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var sent = ObjectDecoder.Decode(request.Http, request.Type, ParseBody(request, raw), validation, ObjectDecoder.Summarize(raw));
        request.Strategy.Default(sent);
        CheckIdentity(request, sent);
        await WriteUpdateAsync(request, kind, dryRun, _ => Task.FromResult(KubeJson.Clone(sent)));
    }

    private async Task PatchAsync(ResourceRequest request, UpdateKind kind)
    {
        var contentType = MediaType.Parse(request.Http.Request.ContentType)?.Type;
        Func<JsonNode?, string, JsonNode?> apply = contentType switch
        {
            MediaType.JsonPatch => (original, patch) => JsonPatch.Apply(original, patch),
            MediaType.MergePatch => (original, patch) => JsonMergePatch.Apply(original, patch),
            MediaType.StrategicMergePatch => (original, patch) => StrategicMergePatch.Apply(original, patch, request.Type.ObjectType),
            MediaType.ApplyPatch => throw StatusErrors.UnsupportedMediaType(ApplyNotServedMessage),
            _ => throw StatusErrors.UnsupportedMediaType(PatchTypesMessage),
        };
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        string patch;
        try
        {
            patch = new System.Text.UTF8Encoding(false, true).GetString(raw);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw StatusErrors.BadRequest("the patch is not valid UTF-8");
        }

        await WriteUpdateAsync(request, kind, dryRun, existing =>
        {
            JsonNode? patched;
            try
            {
                patched = apply(KubeJson.ToNode(existing), patch);
            }
            catch (PatchException e)
            {
                throw e.StatusCode == PatchException.StatusBadRequest ? StatusErrors.BadRequest(e.Message) : StatusErrors.Unprocessable(e.Message);
            }

            var result = ObjectDecoder.DecodeNode(request.Http, request.Type, patched, validation);
            request.Strategy.Default(result);
            return Task.FromResult(result);
        });
    }

    /// <summary>
    /// Reads the stored object, builds the new one from it, applies the type's rules and writes it
    /// under the stored resource version; when another writer got there first, starts again from a
    /// fresh read (GuaranteedUpdate), where a resourceVersion the client asked for no longer matches.
    /// </summary>
    private async Task WriteUpdateAsync(ResourceRequest request, UpdateKind kind, bool dryRun, Func<IKubernetesObject<V1ObjectMeta>, Task<IKubernetesObject<V1ObjectMeta>>> build)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.GetAsync(request.Key, request.Cancellation) ?? throw StatusErrors.NotFound(request.Type, request.Name);
            var sent = await build(existing);
            CheckIdentity(request, sent);
            var wanted = sent.Metadata.ResourceVersion;
            if (!string.IsNullOrEmpty(wanted) && wanted != existing.Metadata.ResourceVersion)
            {
                throw ConflictError(request);
            }

            var candidate = kind switch
            {
                UpdateKind.Status => request.Strategy.PrepareForStatusUpdate(sent, existing),
                UpdateKind.Finalize => NamespaceStrategy.PrepareForFinalize((V1Namespace)sent, (V1Namespace)existing),
                _ => PrepareMainUpdate(request, sent, existing),
            };
            var errors = kind switch
            {
                UpdateKind.Status => [.. ObjectMetaValidation.ValidateUpdate(candidate.Metadata, existing.Metadata), .. request.Strategy.ValidateStatusUpdate(candidate, existing)],
                UpdateKind.Finalize => request.Strategy.Validate(candidate),
                _ => request.Strategy.ValidateUpdate(candidate, existing),
            };
            if (errors.Count > 0)
            {
                throw StatusErrors.Invalid(request.Type, request.Name, errors);
            }

            candidate.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            if (request.Strategy.ShouldDeleteDuringUpdate(candidate, existing))
            {
                if (dryRun)
                {
                    await WriteObjectAsync(request, 200, candidate);
                    return;
                }

                try
                {
                    var removed = await store.DeleteAsync(request.Key, new Preconditions(existing.Metadata.Uid, existing.Metadata.ResourceVersion), request.Cancellation);
                    await WriteObjectAsync(request, 200, removed);
                    return;
                }
                catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict && attempt < MaxUpdateAttempts)
                {
                    // Read again: the next round refuses it if the client asked for the version that was lost.
                    continue;
                }
            }

            if (JsonNode.DeepEquals(KubeJson.ToNode(candidate), KubeJson.ToNode(existing)) || dryRun)
            {
                await WriteObjectAsync(request, 200, dryRun ? candidate : existing);
                return;
            }

            try
            {
                var stored = await store.UpdateAsync(request.Type, candidate, request.Cancellation);
                await WriteObjectAsync(request, 200, stored);
                return;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.Conflict)
            {
                // Read again: the next round refuses it if the client asked for the version that was lost.
                if (attempt >= MaxUpdateAttempts)
                {
                    throw ConflictError(request);
                }
            }
        }
    }

    /// <summary>The API server's BeforeUpdate: identity and system fields come from the stored object, then the type's rules.</summary>
    private static IKubernetesObject<V1ObjectMeta> PrepareMainUpdate(ResourceRequest request, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var meta = obj.Metadata;
        if (string.IsNullOrEmpty(meta.Uid))
        {
            meta.Uid = old.Metadata.Uid;
        }

        if (old.Metadata.CreationTimestamp is not null)
        {
            meta.CreationTimestamp = old.Metadata.CreationTimestamp;
        }

        if (old.Metadata.DeletionTimestamp is not null)
        {
            meta.DeletionTimestamp = old.Metadata.DeletionTimestamp;
        }

        if (old.Metadata.DeletionGracePeriodSeconds is not null)
        {
            meta.DeletionGracePeriodSeconds = old.Metadata.DeletionGracePeriodSeconds;
        }

        request.Strategy.PrepareForUpdate(obj, old);
        return obj;
    }

    private static void CheckIdentity(ResourceRequest request, IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        if (request.Type.Namespaced)
        {
            if (string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                meta.NamespaceProperty = request.Namespace;
            }
            else if (meta.NamespaceProperty != request.Namespace)
            {
                throw StatusErrors.BadRequest($"the namespace of the object ({meta.NamespaceProperty}) does not match the namespace on the request ({request.Namespace})");
            }
        }
        else
        {
            meta.NamespaceProperty = null;
        }

        if (meta.Name != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({request.Name})");
        }
    }

    private static ApiException ConflictError(ResourceRequest request) =>
        StatusErrors.Conflict(request.Type, request.Name, "the object has been modified; please apply your changes to the latest version and try again");
}
