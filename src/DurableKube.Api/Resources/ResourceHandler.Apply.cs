using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Apply;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>
/// Server-side apply: <c>PATCH</c> with <c>application/apply-patch+yaml</c> (what kubectl <c>apply --server-side</c>
/// and the C# client send; JSON is YAML too). The applied configuration is merged by <see cref="FieldManager.Apply"/>
/// into the live object, or creates it, through the one write path.
/// </summary>
internal sealed partial class ResourceHandler
{
    private async Task ApplyAsync(ResourceRequest request, string? subresource)
    {
        if (subresource is not null)
        {
            throw StatusErrors.BadRequest($"server-side apply to the {subresource} subresource is not served; apply to the main resource");
        }

        var manager = RequestOptions.String(request.Query, "fieldManager");
        if (string.IsNullOrEmpty(manager))
        {
            throw StatusErrors.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        var force = RequestOptions.Bool(request.Query, "force");
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        ParsedBody body;
        try
        {
            body = BodyReader.Parse(raw, MediaType.Parse(MediaType.Yaml), Kinds);
        }
        catch (BodyFormatException e)
        {
            throw StatusErrors.BadRequest("error decoding YAML: " + e.Message);
        }

        var applied = ObjectDecoder.ToObjectNode(request.Type, body.Node, ObjectDecoder.Summarize(raw));
        if (applied["metadata"]?["name"] is null)
        {
            applied["metadata"] ??= new JsonObject();
            applied["metadata"]!["name"] = request.Name;
        }

        var model = request.Type.ObjectType;
        var now = _time.GetUtcNow().UtcDateTime;
        IKubernetesObject<V1ObjectMeta> Merge(IKubernetesObject<V1ObjectMeta>? live)
        {
            FieldManager.ApplyResult result;
            try
            {
                result = FieldManager.Apply(live is null ? null : KubeJson.ToNode(live)!.AsObject(), applied, model, manager, force, now);
            }
            catch (ApplyConflictException e)
            {
                throw StatusErrors.ApplyConflict(e.Message, e.Conflicts.Select(c => (c.Manager, c.Path)));
            }

            var obj = ObjectDecoder.DecodeNode(request.Http, Kinds, request.Type, result.Object, validation);
            CheckIdentity(request, obj);
            return obj;
        }

        if (await _registry.GetAsync(request.Key, request.Cancellation) is null)
        {
            try
            {
                var created = await _registry.CreateAsync(request.Type, Merge(null), new CreateOptions(dryRun) { FieldManager = manager, ManagedFieldsSet = true }, request.Cancellation);
                await WriteObjectAsync(request, 201, created);
                return;
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
            {
                // Created meanwhile: apply to it.
            }
        }

        var outcome = await _registry.UpdateAsync(request.Key, Merge, new UpdateOptions(null, dryRun) { FieldManager = manager, ManagedFieldsSet = true }, request.Cancellation);
        await WriteObjectAsync(request, 200, outcome.Object);
    }

    /// <summary>The field manager of a write: <c>fieldManager</c>, else the User-Agent's product (<c>kubectl</c>), as the API server defaults it.</summary>
    private static string? FieldManagerOf(ResourceRequest request)
    {
        var manager = RequestOptions.String(request.Query, "fieldManager");
        if (!string.IsNullOrEmpty(manager))
        {
            return manager.Length <= 128 ? manager : throw StatusErrors.BadRequest("fieldManager: Too long: may not be more than 128 bytes");
        }

        var agent = request.Http.Request.Headers.UserAgent.ToString();
        var product = agent.Split('/', 2)[0].Trim();
        return product.Length is > 0 and <= 128 ? product : "unknown";
    }
}
