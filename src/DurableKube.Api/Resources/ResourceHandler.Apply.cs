using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Domain.Apply;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;

namespace DurableKube.Api.Resources;

/// <summary>
/// Server-side apply: <c>PATCH</c> with <c>application/apply-patch+yaml</c> (what kubectl <c>apply --server-side</c>
/// and the C# client send; JSON is YAML too). The applied configuration is merged by <see cref="FieldManager.Apply"/>
/// into the live object, or creates it, through the one write path. Apply to <c>status</c> owns status fields (the object must
/// exist), apply to <c>scale</c> takes an <c>autoscaling/v1</c> Scale and owns the replicas.
/// </summary>
internal sealed partial class ResourceHandler
{
    private async Task ApplyAsync(ResourceRequest request, string? subresource)
    {
        if (subresource is not null and not (FieldManager.StatusSubresource or FieldManager.ScaleSubresource))
        {
            throw StatusErrors.BadRequest($"server-side apply to the {subresource} subresource is not served; apply to the main resource");
        }

        var manager = RequestOptions.String(request.Query, "fieldManager");
        if (string.IsNullOrEmpty(manager))
        {
            throw StatusErrors.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        CheckFieldManager(request, manager);

        var force = RequestOptions.Bool(request.Query, "force");
        var dryRun = RequestOptions.DryRun(request.Query);
        var validation = RequestOptions.FieldValidation(request.Query);
        var raw = await BodyReader.ReadAsync(request.Http.Request, _options.MaxRequestBodyBytes, request.Cancellation);
        ParsedBody body;
        try
        {
            body = BodyReader.Parse(raw, MediaType.Parse(MediaType.Yaml), Kinds, _options.MaxNestingDepth);
        }
        catch (BodyFormatException e)
        {
            throw StatusErrors.BadRequest("error decoding YAML: " + e.Message);
        }

        if (subresource == FieldManager.ScaleSubresource)
        {
            await ApplyScaleAsync(request, body.Node, manager, force, dryRun);
            return;
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
                result = FieldManager.Apply(live is null ? null : KubeJson.ToNode(live)!.AsObject(), applied, model, manager, force, now, subresource);
            }
            catch (ApplyConflictException e)
            {
                throw StatusErrors.ApplyConflict(e.Message, e.Conflicts.Select(c => (c.Manager, c.Path)));
            }

            var obj = ObjectDecoder.DecodeNode(request.Http, Kinds, request.Type, result.Object, validation);
            CheckIdentity(request, obj);
            return obj;
        }

        if (subresource is null && await _registry.GetAsync(request.Key, request.Cancellation) is null)
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

        // Apply to status changes status alone (the status strategy keeps the rest), and, as on the API server, needs the object.
        var outcome = await _registry.UpdateAsync(request.Key, Merge, new UpdateOptions(subresource, dryRun) { FieldManager = manager, ManagedFieldsSet = true }, request.Cancellation);
        await WriteObjectAsync(request, 200, outcome.Object);
    }

    /// <summary>
    /// Server-side apply to <c>scale</c> (the API server's ScaleREST with its managed fields): the applied
    /// <c>autoscaling/v1</c> Scale's <c>spec.replicas</c> becomes the object's, owned by the manager in an <c>Apply</c> entry
    /// with subresource <c>scale</c>, conflicting with any other owner of the replicas unless forced. Answers the Scale.
    /// </summary>
    private async Task ApplyScaleAsync(ResourceRequest request, JsonNode? body, string manager, bool force, bool dryRun)
    {
        var scale = DecodeScale(request, body);
        var config = new JsonObject
        {
            ["apiVersion"] = request.Type.ApiVersion,
            ["kind"] = request.Type.Kind,
            ["metadata"] = new JsonObject { ["name"] = request.Name },
        };
        if (scale.Spec?.Replicas is { } replicas)
        {
            // Every kind with a scale subresource keeps its desired replicas in spec.replicas (ScaleDescriptor).
            config["spec"] = new JsonObject { ["replicas"] = replicas };
        }

        var validation = RequestOptions.FieldValidation(request.Query);
        var now = _time.GetUtcNow().UtcDateTime;
        var outcome = await _registry.UpdateAsync(request.Key, live =>
        {
            if (!string.IsNullOrEmpty(scale.Metadata?.ResourceVersion) && scale.Metadata.ResourceVersion != live.Metadata.ResourceVersion)
            {
                throw StatusErrors.Conflict(request.Type, request.Name, "the object has been modified; please apply your changes to the latest version and try again");
            }

            FieldManager.ApplyResult result;
            try
            {
                result = FieldManager.Apply(KubeJson.ToNode(live)!.AsObject(), config, request.Type.ObjectType, manager, force, now, FieldManager.ScaleSubresource);
            }
            catch (ApplyConflictException e)
            {
                throw StatusErrors.ApplyConflict(e.Message, e.Conflicts.Select(c => (c.Manager, c.Path)));
            }

            return ObjectDecoder.DecodeNode(request.Http, Kinds, request.Type, result.Object, validation);
        }, new UpdateOptions(null, dryRun) { FieldManager = manager, ManagedFieldsSet = true }, request.Cancellation);
        await WriteScaleAsync(request, 200, outcome.Object);
    }

    /// <summary>
    /// The API server's <c>ValidateFieldManager</c>: at most 128 bytes of printable characters (a CR or LF in it would
    /// end up in managedFields and in every tool that prints them). 422 for the request's options, as the API server answers.
    /// </summary>
    private static void CheckFieldManager(ResourceRequest request, string manager)
    {
        const string field = "fieldManager";
        FieldError? error = System.Text.Encoding.UTF8.GetByteCount(manager) > 128 ? FieldError.TooLong(field, 128)
            : manager.Any(c => char.IsControl(c) || (char.IsWhiteSpace(c) && c != ' '))
                ? FieldError.Invalid(field, manager, "must consist of printable characters")
                : null;
        if (error is not null)
        {
            var options = request.Http.Request.Method switch { "POST" => "CreateOptions", "PUT" => "UpdateOptions", _ => "PatchOptions" };
            throw StatusErrors.Invalid("meta.k8s.io", options, string.Empty, [error]);
        }
    }

    /// <summary>The field manager of a write: <c>fieldManager</c>, else the User-Agent's product (<c>kubectl</c>), as the API server defaults it.</summary>
    private static string? FieldManagerOf(ResourceRequest request)
    {
        var manager = RequestOptions.String(request.Query, "fieldManager");
        if (!string.IsNullOrEmpty(manager))
        {
            CheckFieldManager(request, manager);
            return manager;
        }

        var agent = request.Http.Request.Headers.UserAgent.ToString();
        var product = agent.Split('/', 2)[0].Trim();
        return product.Length is > 0 and <= 128 ? product : "unknown";
    }
}
