using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Content;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Resources;
using DurableKube.Api.Tables;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Watch;

/// <summary>
/// Watches (<c>?watch=true</c>): a stream of JSON lines <c>{"type":...,"object":...}</c> over the
/// store's change log. Without a resourceVersion (or with "0") every current object comes first as
/// ADDED; an expired resourceVersion ends in one ERROR event with a 410 Expired Status. Selectors are
/// applied per event with the API server's transitions (an object that stops matching is DELETED,
/// one that starts matching is ADDED). The watch ends after <c>timeoutSeconds</c>, capped by
/// configuration, with a last BOOKMARK when bookmarks are allowed.
/// </summary>
internal sealed class WatchHandler(ObjectRegistry registry, TimeProvider time, IOptions<KubernetesApiOptions> options, WatchLimiter limiter, ILogger<WatchHandler> logger)
{
    private readonly KubernetesApiOptions _options = options.Value;

    public async Task HandleAsync(ResourceRequest request, Func<IKubernetesObject<V1ObjectMeta>, bool>? filter)
    {
        var query = request.Query;
        var options = ListOptions.Read(query, watch: true);
        using var slot = limiter.Enter(request.Http);
        var resourceVersion = options.ResourceVersion;
        var requested = RequestOptions.Long(query, "timeoutSeconds");
        var timeout = WatchTimeout.Choose(requested, _options.WatchTimeoutSeconds, _options.MaxWatchTimeoutSeconds, Random.Shared.NextDouble());
        var bookmarks = RequestOptions.Bool(query, "allowWatchBookmarks");
        var initialEventsEnd = options.SendInitialEvents == true;
        var sendInitial = options.SendInitialEvents ?? resourceVersion is null or "0";
        var includeObject = TableWriter.IncludeObject(RequestOptions.String(query, "includeObject"));
        var format = request.Format with { Yaml = false, ContentType = request.Format.Shape == ResponseShape.Object ? MediaType.Json : request.Format.ContentType };
        var type = request.Type;
        var ns = type.Namespaced ? request.Namespace : null;

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Cancellation, timer.Token);
        var token = linked.Token;

        var matching = new HashSet<(string?, string)>();
        string position;
        var initial = new List<IKubernetesObject<V1ObjectMeta>>();
        if (sendInitial || resourceVersion is null or "0")
        {
            var list = await registry.Store.ListAsync(type, ns, new ListQuery(filter), request.Cancellation);
            if (sendInitial)
            {
                initial.AddRange(list.Items);
            }
            else
            {
                matching.UnionWith(list.Items.Select(Key));
            }

            position = list.ResourceVersion;
        }
        else
        {
            position = resourceVersion;
            if (filter is not null)
            {
                var list = await registry.Store.ListAsync(type, ns, new ListQuery(filter), request.Cancellation);
                matching.UnionWith(list.Items.Select(Key));
            }
        }

        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = format.ContentType;
        response.Headers.CacheControl = "no-cache, private";
        await response.StartAsync(request.Cancellation);
        await response.Body.FlushAsync(request.Cancellation);
        Log.WatchStarted(logger, type.GroupResource, ns, position, (int)timeout.TotalSeconds);

        var writer = new EventWriter(response, request.Kind, format, includeObject, time);
        try
        {
            foreach (var item in initial)
            {
                matching.Add(Key(item));
                await writer.WriteAsync("ADDED", item, token);
            }

            if (initialEventsEnd && bookmarks)
            {
                await writer.WriteBookmarkAsync(position, initialEventsEnd: true, token);
            }

            position = await StreamAsync(registry.Store.WatchAsync(type, ns, position, token), writer, filter, matching, bookmarks, position, token);
            if (bookmarks && !request.Cancellation.IsCancellationRequested)
            {
                await writer.WriteBookmarkAsync(position, initialEventsEnd: false, request.Cancellation);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Time ran out while the initial events were written: no bookmark, as the client does not have them all.
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.Expired)
        {
            await writer.WriteStatusAsync(StatusErrors.Expired(e.Message).Status, request.Cancellation);
        }

        Log.WatchEnded(logger, type.GroupResource, ns, position);
    }

    private static (string?, string) Key(IKubernetesObject<V1ObjectMeta> obj) => (obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    private async Task<string> StreamAsync(
        IAsyncEnumerable<ObjectChangeEvent> changes,
        EventWriter writer,
        Func<IKubernetesObject<V1ObjectMeta>, bool>? filter,
        HashSet<(string?, string)> matching,
        bool bookmarks,
        string position,
        CancellationToken token)
    {
        var interval = TimeSpan.FromSeconds(_options.BookmarkIntervalSeconds);
        var enumerator = changes.GetAsyncEnumerator(token);
        var next = enumerator.MoveNextAsync().AsTask();
        var tick = bookmarks ? Task.Delay(interval, time, token) : Task.Delay(Timeout.Infinite, token);
        try
        {
            return await LoopAsync();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The watch's time is up (or the client left): the caller's last bookmark must carry how far it got,
            // not where it started, or a client resuming from it would see the same changes again.
            return position;
        }
        finally
        {
            // The store's enumerator ends once the token is cancelled; let it, then dispose it.
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            if (next.IsCompleted)
            {
                await enumerator.DisposeAsync();
            }
        }

        async Task<string> LoopAsync()
        {
        while (true)
        {
            var done = await Task.WhenAny(next, tick);
            if (done == tick)
            {
                await tick;
                await writer.WriteBookmarkAsync(position, initialEventsEnd: false, token);
                tick = Task.Delay(interval, time, token);
                continue;
            }

            if (!await next)
            {
                return position;
            }

            // The position moves past a change only once the client has it, so a bookmark never skips one.
            var change = enumerator.Current;
            if (Translate(change, filter, matching) is { } eventType)
            {
                await writer.WriteAsync(eventType, change.Object, token);
            }

            position = change.ResourceVersion;
            next = enumerator.MoveNextAsync().AsTask();
        }
        }
    }

    /// <summary>The event a client sees for a change, given what it has seen match before; null to skip.</summary>
    internal static string? Translate(ObjectChangeEvent change, Func<IKubernetesObject<V1ObjectMeta>, bool>? filter, HashSet<(string?, string)> matching)
    {
        var key = Key(change.Object);
        var matches = filter is null || filter(change.Object);
        var was = matching.Contains(key);
        switch (change.Type)
        {
            case WatchEventType.Added:
                if (matches)
                {
                    matching.Add(key);
                    return "ADDED";
                }

                return null;
            case WatchEventType.Modified:
                if (matches)
                {
                    matching.Add(key);
                    return was || filter is null ? "MODIFIED" : "ADDED";
                }

                matching.Remove(key);
                return was ? "DELETED" : null;
            case WatchEventType.Deleted:
                matching.Remove(key);
                return was || matches ? "DELETED" : null;
            default:
                return null;
        }
    }

    /// <summary>Writes one watch event per line and flushes it.</summary>
    private sealed class EventWriter(HttpResponse response, KindDescriptor kind, ResponseFormat format, string includeObject, TimeProvider time)
    {
        public Task WriteAsync(string eventType, IKubernetesObject<V1ObjectMeta> obj, CancellationToken token)
        {
            JsonNode body = format.Shape switch
            {
                ResponseShape.Table => TableWriter.Table(kind, [obj], obj.Metadata.ResourceVersion, null, null, format.MetaVersion, includeObject, time.GetUtcNow()),
                ResponseShape.PartialMetadata => TableWriter.PartialMetadata(obj, format.MetaVersion),
                _ => KubeJson.ToNode(obj)!,
            };
            return SendAsync(eventType, body, token);
        }

        public Task WriteBookmarkAsync(string resourceVersion, bool initialEventsEnd, CancellationToken token)
        {
            var metadata = new JsonObject { ["resourceVersion"] = resourceVersion, ["creationTimestamp"] = null };
            if (initialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            JsonNode body = format.Shape == ResponseShape.Table
                ? new JsonObject
                {
                    ["kind"] = "Table",
                    ["apiVersion"] = "meta.k8s.io/" + format.MetaVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
                    ["columnDefinitions"] = new JsonArray(),
                    ["rows"] = new JsonArray(),
                }
                : new JsonObject { ["kind"] = kind.Type.Kind, ["apiVersion"] = kind.Type.ApiVersion, ["metadata"] = metadata };
            return SendAsync("BOOKMARK", body, token);
        }

        public Task WriteStatusAsync(V1Status status, CancellationToken token) => SendAsync("ERROR", StatusJson.ToNode(status), token);

        private async Task SendAsync(string eventType, JsonNode body, CancellationToken token)
        {
            var line = new JsonObject { ["type"] = eventType, ["object"] = body }.ToJsonString() + "\n";
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), token);
            await response.Body.FlushAsync(token);
        }
    }
}
