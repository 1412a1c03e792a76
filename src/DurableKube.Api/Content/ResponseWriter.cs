using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Domain.Serialization;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace DurableKube.Api.Content;

/// <summary>Writes answers as JSON (or YAML when asked), with the status code and Content-Type.</summary>
internal static class ResponseWriter
{
    public static async Task WriteNodeAsync(HttpContext context, int code, JsonNode? node, ResponseFormat format, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = code;
        if (format.Yaml)
        {
            response.ContentType = MediaType.Yaml;
            await response.WriteAsync(YamlConverter.ToYaml(node), Encoding.UTF8, cancellationToken);
        }
        else
        {
            response.ContentType = format.ContentType;
            await response.WriteAsync(node?.ToJsonString() ?? "null", Encoding.UTF8, cancellationToken);
        }
    }

    public static Task WriteStatusAsync(HttpContext context, V1Status status, CancellationToken cancellationToken)
    {
        var format = context.Items[typeof(ResponseFormat)] is ResponseFormat f && f.Yaml ? f : ResponseFormat.Json;
        if (status.Details?.RetryAfterSeconds is > 0 and var retry)
        {
            // As the API server's ErrorNegotiated: a Status that says when to retry says it in the header too.
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return WriteNodeAsync(context, status.Code ?? 500, Errors.StatusJson.ToNode(status), format with { Shape = ResponseShape.Object }, cancellationToken);
    }

    public static Task WriteTextAsync(HttpContext context, int code, string text, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, Encoding.UTF8, cancellationToken);
    }

    /// <summary>Adds a <c>Warning: 299 - "text"</c> header, as the API server warns of unknown fields.</summary>
    public static void AddWarning(HttpContext context, string text)
    {
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        context.Response.Headers.Append("Warning", $"299 - \"{escaped}\"");
    }
}
