using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Patching;
using DurableKube.Domain.Serialization;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>Update (PUT), patch (PATCH) and binding (POST) of the main resource and of update subresources.</summary>
internal sealed partial class ResourceHandler
{
    private const string PatchTypesMessage =
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json";

    private async Task UpdateAsync(ResourceRequest request, string? subresource)
    {
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var sent = ObjectDecoder.Decode(request.Http, Kinds, request.Type, ParseBody(request, raw), validation, ObjectDecoder.Summarize(raw));
        CheckIdentity(request, sent);
        var outcome = await _registry.UpdateAsync(request.Key, _ => KubeJson.Clone(sent), new UpdateOptions(subresource, dryRun) { FieldManager = FieldManagerOf(request) }, request.Cancellation);
        await WriteObjectAsync(request, 200, outcome.Object);
    }

    private async Task PatchAsync(ResourceRequest request, string? subresource)
    {
        if (MediaType.Parse(request.Http.Request.ContentType)?.Type == MediaType.ApplyPatch)
        {
            await ApplyAsync(request, subresource);
            return;
        }

        if (RequestOptions.Bool(request.Query, "force"))
        {
            throw StatusErrors.BadRequest("force: Forbidden: may not be specified for non-apply patch");
        }

        var apply = PatchFunction(request, request.Type.ObjectType);
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

        var outcome = await _registry.UpdateAsync(request.Key, existing =>
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

            var result = ObjectDecoder.DecodeNode(request.Http, Kinds, request.Type, patched, validation);
            CheckIdentity(request, result);
            return result;
        }, new UpdateOptions(subresource, dryRun) { FieldManager = FieldManagerOf(request) }, request.Cancellation);
        await WriteObjectAsync(request, 200, outcome.Object);
    }

    /// <summary>
    /// Binds a pod to a node, as a scheduler does: <c>POST pods/{name}/binding</c> with a <c>v1 Binding</c>
    /// whose target names the node. Answers 201 with a Success status.
    /// </summary>
    private async Task BindAsync(ResourceRequest request)
    {
        var dryRun = RequestOptions.DryRun(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var node = ParseBody(request, raw).Node as JsonObject
            ?? throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Binding)");
        V1Binding binding;
        try
        {
            binding = (V1Binding?)KubeJson.Deserialize(node, typeof(V1Binding)) ?? throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Binding)");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest("Binding in version \"v1\" cannot be handled as a Binding: " + e.Message);
        }

        if (binding.Metadata?.Name is { Length: > 0 } named && named != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({named}) does not match the name on the URL ({request.Name})");
        }

        if (binding.Target?.Kind is { Length: > 0 } kind && kind != "Node")
        {
            throw StatusErrors.Invalid(string.Empty, "Binding", request.Name, [Domain.Validation.FieldError.NotSupported("target.kind", kind, ["Node", string.Empty])]);
        }

        var outcome = await _registry.UpdateAsync(request.Key, existing =>
        {
            var pod = (V1Pod)existing;
            pod.Spec.NodeName = binding.Target?.Name;
            return pod;
        }, new UpdateOptions(Subresource.Binding.Name, dryRun) { FieldManager = FieldManagerOf(request) }, request.Cancellation);
        await ResponseWriter.WriteNodeAsync(
            request.Http, 201, StatusJson.ToNode(StatusErrors.Success(request.Type, request.Name, outcome.Object.Metadata.Uid)), request.Format with { Shape = ResponseShape.Object }, request.Cancellation);
    }

    /// <summary>The patch a request's Content-Type names, over a model type (its strategic merge keys), or the 415 Kubernetes answers.</summary>
    private static Func<JsonNode?, string, JsonNode?> PatchFunction(ResourceRequest request, Type model) =>
        MediaType.Parse(request.Http.Request.ContentType)?.Type switch
        {
            MediaType.JsonPatch => (original, patch) => JsonPatch.Apply(original, patch),
            MediaType.MergePatch => (original, patch) => JsonMergePatch.Apply(original, patch),
            MediaType.StrategicMergePatch => (original, patch) => StrategicMergePatch.Apply(original, patch, model),
            _ => throw StatusErrors.UnsupportedMediaType(PatchTypesMessage),
        };

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
}
