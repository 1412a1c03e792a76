using DurableKube.Api.Auth;
using DurableKube.Api.Content;
using DurableKube.Api.Dashboard;
using DurableKube.Api.Discovery;
using DurableKube.Api.Errors;
using DurableKube.Api.Health;
using DurableKube.Api.Logging;
using DurableKube.Api.Metrics;
using DurableKube.Api.OpenApi;
using DurableKube.Api.Resources;
using DurableKube.Api.Routing;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Ports.Workflows;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableKube.Api;

/// <summary>
/// The Kubernetes REST API as one handler over <see cref="HttpContext"/>: the Functions host calls it
/// from its catch-all HTTP trigger and the local host maps it as terminal middleware. It routes by
/// itself, from the resource registry, as the API server's installer does.
/// </summary>
public sealed class KubernetesApi
{
    /// <summary>
    /// The response header that carries the correlation id of an unexpected failure: the id the server's
    /// log entry for it carries, so a user can report it and an operator find the details.
    /// </summary>
    public const string CorrelationIdHeader = "X-Correlation-Id";

    private readonly ApiRouter _router;
    private readonly DiscoveryDocuments _discovery;
    private readonly OpenApiDocuments _openApi;
    private readonly OpenApiV2Document _openApiV2;
    private readonly ResourceHandler _resources;
    private readonly HealthHandler _health;
    private readonly MetricsHandler _metrics;
    private readonly ApiGate _gate;
    private readonly SelfReviewHandler _reviews;
    private readonly DashboardHandler _dashboard;
    private readonly IWorkflowClient? _workflows;
    private readonly ILogger<KubernetesApi> _logger;
    private readonly int _maxHeaderBytes;

    internal KubernetesApi(KindRegistry kinds, ResourceHandler resources, HealthHandler health, MetricsHandler metrics, ApiGate gate, SelfReviewHandler reviews, int maxHeaderBytes, DashboardHandler dashboard, IWorkflowClient? workflows, ILogger<KubernetesApi> logger)
    {
        _maxHeaderBytes = maxHeaderBytes;
        _dashboard = dashboard;
        _workflows = workflows;
        _gate = gate;
        _reviews = reviews;
        _router = new ApiRouter(kinds);
        _discovery = new DiscoveryDocuments(kinds);
        _openApi = new OpenApiDocuments(kinds);
        _openApiV2 = new OpenApiV2Document(kinds);
        _resources = resources;
        _health = health;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Serves one request, writing a Kubernetes <c>Status</c> for any failure.</summary>
    /// <param name="context">The request and its response.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public Task HandleAsync(HttpContext context) => HandleAsync(context, null);

    /// <summary>
    /// Serves one request with a workflow client of this request (the Functions host has one only inside an invocation,
    /// from its Durable client binding), writing a Kubernetes <c>Status</c> for any failure.
    /// </summary>
    /// <param name="context">The request and its response.</param>
    /// <param name="workflows">The workflow client to read workflows with; <see langword="null"/>: the one the host registered, if any.</param>
    /// <returns>A task that completes when the response is written.</returns>
    public async Task HandleAsync(HttpContext context, IWorkflowClient? workflows)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await DispatchAsync(context, workflows ?? _workflows);
        }
        catch (ApiException e)
        {
            await FailAsync(context, e.Status);
        }
        catch (StoreException e)
        {
            if (FromStore(e) is { } known)
            {
                await FailAsync(context, known.Status);
            }
            else
            {
                await FailUnexpectedlyAsync(context, e);
            }
        }
        catch (ObjectRejectedException e)
        {
            await FailAsync(context, FromRejection(e).Status);
        }
        catch (SelectorParseException e)
        {
            await FailAsync(context, StatusErrors.BadRequest(e.Message).Status);
        }
        catch (BadHttpRequestException e)
        {
            // The server refused the body while it was read (too slow, too large, cut short): the client's fault,
            // never a 500; if the client is gone there is nobody to answer.
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await FailAsync(context, StatusErrors.BadRequestBody(e.StatusCode, e.Message).Status);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await FailUnexpectedlyAsync(context, e);
        }
    }

    /// <summary>
    /// The status of a store failure the caller can act on, or <see langword="null"/> for one this
    /// handler cannot map (a kind added to the store later, or one without the object it needs): that is
    /// a server fault, answered as any unexpected failure is, without the store's text.
    /// </summary>
    private static ApiException? FromStore(StoreException e) => e.Kind switch
    {
        StoreErrorKind.NotFound when e.Key is { } key => StatusErrors.NotFound(key.Type, key.Name),
        StoreErrorKind.AlreadyExists when e.Key is { } key => StatusErrors.AlreadyExists(key.Type, key.Name),
        StoreErrorKind.Conflict when e.Key is { } key => StatusErrors.Conflict(key.Type, key.Name, e.Detail ?? "the object has been modified; please apply your changes to the latest version and try again"),
        StoreErrorKind.Expired => StatusErrors.Expired(e.Message),
        StoreErrorKind.TooLarge => new ApiException(new V1Status
        {
            ApiVersion = "v1", Kind = "Status", Metadata = new V1ListMeta(), Status = "Failure",
            Message = "Request entity too large: " + e.Message, Reason = "RequestEntityTooLarge", Code = 413,
        }),
        StoreErrorKind.InvalidContinue => StatusErrors.BadRequest(e.Message),
        StoreErrorKind.Unavailable => StatusErrors.StorageUnavailable(e.Message),
        _ => null,
    };

    private static ApiException FromRejection(ObjectRejectedException e) => e.Reason switch
    {
        RejectionReason.Invalid => StatusErrors.Invalid(e.Type, e.Name, e.Errors),
        RejectionReason.Forbidden => StatusErrors.Forbidden(e.Type, e.Name, e.Detail, e.Cause),
        RejectionReason.Conflict => StatusErrors.Conflict(e.Type, e.Name, e.Detail),
        _ => StatusErrors.BadRequest(e.Detail),
    };

    private async Task DispatchAsync(HttpContext context, IWorkflowClient? workflows)
    {
        var request = context.Request;
        CheckHeaderSize(request, _maxHeaderBytes);
        var route = _router.Route(request.Path.Value);
        if (route.Kind == RouteKind.Dashboard)
        {
            // The app's files are public: they hold no data, and a browser fetches them before it can send a token.
            await _dashboard.ServeFileAsync(context, route.Name!);
            return;
        }

        var accept = MediaType.ParseAccept(request.Headers.Accept);
        var format = ResponseFormat.Negotiate(accept, allowTransform: route.Kind == RouteKind.Resource);
        context.Items[typeof(ResponseFormat)] = format;
        var aborted = context.RequestAborted;

        // Authentication, then authorization: only /version and the health checks are open to anonymous callers
        // (Kubernetes' system:public-info-viewer); discovery and everything else need a user the role allows.
        var user = await _gate.AuthenticateAsync(request);
        if (user is null)
        {
            if (route.Kind is not (RouteKind.Version or RouteKind.Health))
            {
                throw StatusErrors.Unauthorized();
            }
        }
        else
        {
            ApiGate.Authorize(user, AccessAttributes.Of(route, request));
            context.Items[typeof(ApiUser)] = user;
        }

        if (route.Kind is not (RouteKind.Resource or RouteKind.NotFound or RouteKind.Review) && request.Method is not ("GET" or "HEAD"))
        {
            throw StatusErrors.MethodNotAllowed();
        }

        switch (route.Kind)
        {
            case RouteKind.Version:
                await ResponseWriter.WriteNodeAsync(context, 200, DiscoveryDocuments.Version(), ResponseFormat.Json, aborted);
                break;
            case RouteKind.Health:
                await _health.HandleAsync(context, route.Check!, route.Name);
                break;
            case RouteKind.CoreVersions:
                if (!await TryAggregatedAsync(context, accept, core: true))
                {
                    await ResponseWriter.WriteNodeAsync(context, 200, DiscoveryDocuments.CoreVersions(request.Host.Value ?? "localhost"), ResponseFormat.Json, aborted);
                }

                break;
            case RouteKind.Groups:
                if (!await TryAggregatedAsync(context, accept, core: false))
                {
                    await ResponseWriter.WriteNodeAsync(context, 200, _discovery.Groups(), ResponseFormat.Json, aborted);
                }

                break;
            case RouteKind.Group:
                await ResponseWriter.WriteNodeAsync(context, 200, _discovery.Group(route.Group!), ResponseFormat.Json, aborted);
                break;
            case RouteKind.CoreResources or RouteKind.GroupResources:
                await ResponseWriter.WriteNodeAsync(context, 200, _discovery.ResourceList(route.Group!, route.Version!), ResponseFormat.Json, aborted);
                break;
            case RouteKind.OpenApiIndex:
                await ResponseWriter.WriteNodeAsync(context, 200, _openApi.Index(), ResponseFormat.Json, aborted);
                break;
            case RouteKind.OpenApiV2:
                if (accept.Any(m => m.Type == OpenApiV2Document.ProtobufMediaType))
                {
                    context.Response.StatusCode = 200;
                    context.Response.ContentType = OpenApiV2Document.ProtobufContentType;
                    await context.Response.Body.WriteAsync(_openApiV2.Protobuf(), aborted);
                }
                else
                {
                    await ResponseWriter.WriteNodeAsync(context, 200, _openApiV2.Json(), ResponseFormat.Json, aborted);
                }

                break;
            case RouteKind.OpenApiDocument:
                var hash = _openApi.HashOf(route.Group!, route.Version!);
                if (request.Query.TryGetValue("hash", out var asked) && asked.ToString() != hash)
                {
                    // As the API server does: an old hash is sent to the current document.
                    context.Response.StatusCode = 301;
                    context.Response.Headers.Location = $"{request.Path}?hash={hash}";
                    break;
                }

                context.Response.Headers.ETag = $"\"{hash}\"";
                context.Response.Headers.CacheControl = request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
                if (request.Headers.IfNoneMatch.ToString() == $"\"{hash}\"")
                {
                    context.Response.StatusCode = 304;
                    break;
                }

                await ResponseWriter.WriteNodeAsync(context, 200, _openApi.Document(route.Group!, route.Version!), ResponseFormat.Json, aborted);
                break;
            case RouteKind.Resource:
                await _resources.HandleAsync(new ResourceRequest(context, route, format));
                break;
            case RouteKind.Review:
                await _reviews.HandleAsync(context, route.Group!, route.Version, route.Plural, user!);
                break;
            case RouteKind.Metrics:
                await _metrics.HandleAsync(context, route.Version, route.Plural, route.Namespace, route.Name);
                break;
            case RouteKind.Workflow:
                await _dashboard.ServeWorkflowAsync(context, route, workflows);
                break;
            default:
                throw StatusErrors.RouteNotFound();
        }
    }

    /// <summary>
    /// Refuses a request whose path, query and headers together exceed <paramref name="limit"/> bytes (431) before any
    /// of it is used. The server in front (Kestrel, the Functions host) has a larger limit of its own and answers beyond it
    /// without a Status, as Go's HTTP server does beyond the API server's <c>MaxHeaderBytes</c>.
    /// </summary>
    internal static void CheckHeaderSize(HttpRequest request, int limit)
    {
        long size = (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                size += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        if (size > limit)
        {
            throw StatusErrors.HeadersTooLarge(limit);
        }
    }

    /// <summary>Answers with aggregated discovery when the client asks for it, echoing the media type it asked for.</summary>
    private async Task<bool> TryAggregatedAsync(HttpContext context, IReadOnlyList<MediaType> accept, bool core)
    {
        foreach (var media in accept)
        {
            if (media.Type == MediaType.Json && media.Parameter("g") == DiscoveryDocuments.AggregatedGroup
                && media.Parameter("as") == "APIGroupDiscoveryList" && media.Parameter("v") is "v2" or "v2beta1")
            {
                var document = _discovery.Aggregated(core, media.Parameter("v")!);
                await ResponseWriter.WriteNodeAsync(context, 200, document, new ResponseFormat(ResponseShape.Object, false, media.Text, "v1"), context.RequestAborted);
                return true;
            }

            if (media.Type is MediaType.Json or "*/*" or "application/*" && media.Parameter("as") is null)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Answers a failure nobody foresaw: the exception goes to the log under a correlation id, and the
    /// client gets a 500 that names the id but nothing of the exception, whose text may carry
    /// internals (storage endpoints, file paths, object contents of other users).
    /// </summary>
    /// <remarks>
    /// The id is the request's <see cref="HttpContext.TraceIdentifier"/>: the server makes it for every
    /// request (a client cannot choose it, unlike a trace id taken from a <c>traceparent</c> header), it
    /// exists whether or not tracing is on, and ASP.NET Core already tags the request's log scope with it
    /// (<c>RequestId</c>), so every line the request logged can be found by it.
    /// </remarks>
    private async Task FailUnexpectedlyAsync(HttpContext context, Exception exception)
    {
        var correlationId = string.IsNullOrEmpty(context.TraceIdentifier) ? Guid.NewGuid().ToString("N") : context.TraceIdentifier;
        Log.RequestFailed(_logger, context.Request.Method, context.Request.Path.Value ?? "/", correlationId, exception);
        await FailAsync(context, StatusErrors.Unexpected(correlationId).Status, correlationId);
    }

    private async Task FailAsync(HttpContext context, V1Status status, string? correlationId = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.RequestRefused(_logger, context.Request.Method, context.Request.Path.Value ?? "/", status.Code ?? 500, status.Message);
        }

        context.Response.Clear();
        if (correlationId is not null)
        {
            context.Response.Headers[CorrelationIdHeader] = correlationId;
        }

        // As the API server's ErrorNegotiated: a 429 or 5xx that says when to come back says it in Retry-After too.
        if (status.Details?.RetryAfterSeconds is { } retryAfter && retryAfter > 0 && status.Code is 429 or >= 500)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ResponseWriter.WriteStatusAsync(context, status, CancellationToken.None);
    }
}
