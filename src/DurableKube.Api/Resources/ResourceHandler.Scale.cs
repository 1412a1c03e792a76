using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Apply;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Patching;
using DurableKube.Domain.Printing;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>
/// The <c>scale</c> subresource (the API server's ScaleREST): an <c>autoscaling/v1</c> Scale over the kind's
/// <c>spec.replicas</c>, <c>status.replicas</c> and selector; GET reads it, PUT and PATCH change the replicas
/// (what <c>kubectl scale</c> and the C# client's <c>PatchNamespacedReplicaSetScale</c> do), server-side apply too.
/// </summary>
internal sealed partial class ResourceHandler
{
    private async Task GetScaleAsync(ResourceRequest request)
    {
        var obj = await _registry.GetAsync(request.Key, request.Cancellation) ?? throw StatusErrors.NotFound(request.Type, request.Name);
        await WriteScaleAsync(request, 200, obj);
    }

    private async Task UpdateScaleAsync(ResourceRequest request)
    {
        var dryRun = RequestOptions.DryRun(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var sent = DecodeScale(request, ParseBody(request, raw).Node);
        await WriteScaleUpdateAsync(request, _ => sent, dryRun);
    }

    private async Task PatchScaleAsync(ResourceRequest request)
    {
        if (MediaType.Parse(request.Http.Request.ContentType)?.Type == MediaType.ApplyPatch)
        {
            await ApplyAsync(request, FieldManager.ScaleSubresource);
            return;
        }

        var apply = PatchFunction(request, typeof(V1Scale));
        var dryRun = RequestOptions.DryRun(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        var patch = System.Text.Encoding.UTF8.GetString(raw);
        await WriteScaleUpdateAsync(request, existing =>
        {
            try
            {
                return DecodeScale(request, apply(ScaleOf(request.Kind, existing), patch));
            }
            catch (PatchException e)
            {
                throw e.StatusCode == PatchException.StatusBadRequest ? StatusErrors.BadRequest(e.Message) : StatusErrors.Unprocessable(e.Message);
            }
        }, dryRun);
    }

    /// <summary>Writes the replicas a Scale asks for into the object, under the Scale's resourceVersion if it has one.</summary>
    private async Task WriteScaleUpdateAsync(ResourceRequest request, Func<IKubernetesObject<V1ObjectMeta>, V1Scale> build, bool dryRun)
    {
        var scale = request.Kind.Scale!;
        var outcome = await _registry.UpdateAsync(request.Key, existing =>
        {
            var sent = build(existing);
            if (sent.Spec?.Replicas is not { } replicas)
            {
                return null;
            }

            existing.Metadata.ResourceVersion = string.IsNullOrEmpty(sent.Metadata?.ResourceVersion) ? existing.Metadata.ResourceVersion : sent.Metadata.ResourceVersion;
            scale.SetDesiredReplicas(existing, replicas);
            return existing;
        }, new UpdateOptions(DryRun: dryRun) { FieldManager = FieldManagerOf(request), FieldsSubresource = "scale" }, request.Cancellation);
        await WriteScaleAsync(request, 200, outcome.Object);
    }

    private static V1Scale DecodeScale(ResourceRequest request, JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Scale)");
        }

        if (obj["kind"]?.GetValue<string>() is { Length: > 0 } kind && kind != "Scale")
        {
            throw StatusErrors.BadRequest($"{kind} in version \"v1\" cannot be handled as a Scale: no kind \"{kind}\" is registered for version \"autoscaling/v1\"");
        }

        V1Scale scale;
        try
        {
            scale = (V1Scale?)KubeJson.Deserialize(obj, typeof(V1Scale)) ?? throw StatusErrors.BadRequest("the object provided is unrecognized (must be of type Scale)");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest("Scale in version \"v1\" cannot be handled as a Scale: " + e.Message);
        }

        if (scale.Metadata?.Name is { Length: > 0 } name && name != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({name}) does not match the name on the URL ({request.Name})");
        }

        var errors = FieldRules.NonNegative(scale.Spec?.Replicas, "spec.replicas").ToList();
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid("autoscaling", "Scale", request.Name, errors);
        }

        return scale;
    }

    private static Task WriteScaleAsync(ResourceRequest request, int code, IKubernetesObject<V1ObjectMeta> obj) =>
        ResponseWriter.WriteNodeAsync(request.Http, code, ScaleOf(request.Kind, obj), request.Format with { Shape = ResponseShape.Object }, request.Cancellation);

    /// <summary>The Scale of an object, as <c>autoscaling/v1</c> has it.</summary>
    private static JsonObject ScaleOf(KindDescriptor kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        var scale = kind.Scale!;
        var metadata = new JsonObject
        {
            ["name"] = obj.Metadata.Name,
            ["uid"] = obj.Metadata.Uid,
            ["resourceVersion"] = obj.Metadata.ResourceVersion,
            ["creationTimestamp"] = KubeJson.ToNode(obj.Metadata.CreationTimestamp),
        };
        if (kind.Type.Namespaced)
        {
            metadata["namespace"] = obj.Metadata.NamespaceProperty;
        }

        var selector = scale.Selector(obj);
        var status = new JsonObject { ["replicas"] = scale.CurrentReplicas(obj) };
        if (selector is not null && TemplateCells.Selector(selector) is var text && text is not ("<none>" or "<error>"))
        {
            status["selector"] = text;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["replicas"] = scale.DesiredReplicas(obj) },
            ["status"] = status,
        };
    }
}
