using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Api.Errors;

/// <summary>The API server's error statuses (apimachinery's <c>api/errors</c>), worded as it words them.</summary>
internal static class StatusErrors
{
    public static ApiException NotFound(ResourceType type, string name) => NotFound(type.Group, type.Plural, name);

    public static ApiException NotFound(string group, string resource, string name) =>
        Failure(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", new V1StatusDetails { Name = name, Group = NullIfEmpty(group), Kind = resource });

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name));

    public static ApiException Conflict(ResourceType type, string name, string detail) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {detail}", Details(type, name));

    public static ApiException Forbidden(ResourceType type, string name, string detail, RejectionCause? cause = null) =>
        Failure(403, "Forbidden", $"{type.GroupResource} \"{name}\" is forbidden: {detail}", Details(type, name, cause is null ? null : [new V1StatusCause { Reason = cause.Reason, Message = cause.Message, Field = cause.Field }]));

    /// <summary>The API server's answer to a request without valid credentials.</summary>
    public static ApiException Unauthorized() => Failure(401, "Unauthorized", "Unauthorized", null);

    /// <summary>The API server's answer to a request its authorizer refused (<c>responsewriters.Forbidden</c>).</summary>
    public static ApiException Forbidden(string user, Domain.Authorization.RequestAttributes request) =>
        Failure(403, "Forbidden", Domain.Authorization.AccessPolicy.ForbiddenMessage(user, request), request.IsResourceRequest
            ? new V1StatusDetails { Name = request.Name, Group = NullIfEmpty(request.Group), Kind = request.Resource }
            : new V1StatusDetails());

    public static ApiException BadRequest(string message) => Failure(400, "BadRequest", message, null);

    /// <summary>
    /// The answer of a host that cannot upgrade a connection (the Azure Functions host serves no WebSocket or SPDY
    /// upgrade), for exec, attach and port-forward.
    /// </summary>
    public static ApiException StreamingNotServed(string subresource) =>
        BadRequest($"pods/{subresource} is not served by this host: it needs a connection upgrade (WebSocket or SPDY), which the Azure Functions host cannot give; use the local host for exec, attach and port-forward");

    public static ApiException Unprocessable(string message) => Failure(422, "Invalid", message, null);

    public static ApiException MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", null);

    public static ApiException RouteNotFound() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new V1StatusDetails
        {
            Causes = [new V1StatusCause { Reason = "UnexpectedServerResponse", Message = "404 page not found" }],
        });

    public static ApiException TooLarge(long limit) =>
        Failure(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}", null);

    public static ApiException UnsupportedMediaType(string message) => Failure(415, "UnsupportedMediaType", message, null);

    public static ApiException Expired(string message) => Failure(410, "Expired", message, null);

    /// <summary>The API server's answer to a list from a resource version it has not reached (after its wait for it).</summary>
    public static ApiException TooLargeResourceVersion(ulong asked, ulong current) =>
        Failure(504, "Timeout", $"Timeout: Too large resource version: {asked}, current: {current}", new V1StatusDetails
        {
            RetryAfterSeconds = 1,
            Causes = [new V1StatusCause { Reason = "ResourceVersionTooLarge", Message = "Too large resource version" }],
        });

    /// <summary>The API server's answer to an apply that would change fields other managers own (<c>NewApplyConflict</c>).</summary>
    public static ApiException ApplyConflict(string message, IEnumerable<(string Manager, string Path)> conflicts) =>
        Failure(409, "Conflict", message, new V1StatusDetails
        {
            Causes = conflicts.Select(c => new V1StatusCause { Reason = "FieldManagerConflict", Message = "conflict with " + c.Manager, Field = c.Path }).ToList(),
        });

    /// <summary>The API server's 429 for a client over its share, telling it when to try again (also as <c>Retry-After</c>).</summary>
    public static ApiException TooManyRequests(string message, int retryAfterSeconds) =>
        Failure(429, "TooManyRequests", message, new V1StatusDetails { RetryAfterSeconds = retryAfterSeconds });

    /// <summary>The answer to a request whose path, query and headers together are larger than the API reads.</summary>
    public static ApiException HeadersTooLarge(int limit) =>
        Failure(431, "RequestHeaderFieldsTooLarge", $"Request Header Fields Too Large: the request line and headers exceed {limit} bytes", null);

    /// <summary>
    /// The answer to a request whose body the server refused as it read it (Kestrel's <c>BadHttpRequestException</c>):
    /// too large (413), arriving too slowly (408, <c>Timeout</c>: the client is the slow one, so not the API server's 504),
    /// or cut short or malformed (400).
    /// </summary>
    public static ApiException BadRequestBody(int code, string message) => code switch
    {
        413 => Failure(413, "RequestEntityTooLarge", "Request entity too large: " + message, null),
        408 => Failure(408, "Timeout", "the request body arrived too slowly: " + message, null),
        _ => BadRequest("the request body could not be read: " + message),
    };

    public static ApiException ServiceUnavailable(string message) => Failure(503, "ServiceUnavailable", message, null);

    /// <summary>
    /// The answer while the object store is away: 503 with a Retry-After, so clients (client-go, kubectl) come back.
    /// A create or update answered so may still have been stored: the client finds out on its next try.
    /// </summary>
    /// <param name="message">What the store said.</param>
    /// <returns>The error.</returns>
    public static ApiException StorageUnavailable(string message) =>
        Failure(503, "ServiceUnavailable", "storage is unavailable: " + message, new V1StatusDetails { RetryAfterSeconds = 5 });

    public static ApiException InternalError(string message) =>
        Failure(500, "InternalError", "Internal error occurred: " + message, new V1StatusDetails
        {
            Causes = [new V1StatusCause { Message = message }],
        });

    /// <summary>
    /// The 500 for a failure nobody foresaw: it names the correlation id the server logged the failure
    /// under, and nothing of the failure itself.
    /// </summary>
    public static ApiException Unexpected(string correlationId) =>
        InternalError($"an unexpected error happened; the server's log has the details under correlation id {correlationId}");

    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var qualified = group.Length == 0 ? kind : kind + "." + group;
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var aggregate = messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
        return Failure(422, "Invalid", $"{qualified} \"{name}\" is invalid: {aggregate}", new V1StatusDetails
        {
            Name = name,
            Group = NullIfEmpty(group),
            Kind = kind,
            Causes = errors.Select(e => new V1StatusCause { Reason = e.Reason, Message = e.Body, Field = e.Field }).ToList(),
        });
    }

    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(type.Group, type.Kind, name, errors);

    public static V1Status Success(ResourceType type, string name, string? uid) => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Success",
        Details = new V1StatusDetails { Name = name, Group = NullIfEmpty(type.Group), Kind = type.Plural, Uid = uid },
    };

    private static ApiException Failure(int code, string reason, string message, V1StatusDetails? details) => new(new V1Status
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = message,
        Reason = reason,
        Details = details,
        Code = code,
    });

    private static V1StatusDetails Details(ResourceType type, string name, IList<V1StatusCause>? causes = null) =>
        new() { Name = name, Group = NullIfEmpty(type.Group), Kind = type.Plural, Causes = causes };

    private static string Qualified(string group, string resource) => group.Length == 0 ? resource : resource + "." + group;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
