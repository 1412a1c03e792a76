using System.Globalization;
using System.Text;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Resources;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Pods;

/// <summary>
/// <c>GET .../pods/{name}/log</c>: finds the container run from the pod status' containerID and
/// streams its log from the runtime, with the kubelet's options (container, previous, timestamps,
/// tailLines, sinceSeconds/sinceTime, limitBytes, follow) and its error messages.
/// </summary>
internal sealed class PodLogHandler(IObjectStore store, INodeRuntimes nodes, TimeProvider time, IOptions<KubernetesApiOptions> options, ILogger<PodLogHandler> logger)
{
    private readonly KubernetesApiOptions _options = options.Value;

    public async Task HandleAsync(ResourceRequest request)
    {
        var query = request.Query;
        var pod = await store.GetAsync(request.Key, request.Cancellation) as V1Pod ?? throw StatusErrors.NotFound(request.Type, request.Name);
        var follow = RequestOptions.Bool(query, "follow");
        var previous = RequestOptions.Bool(query, "previous");
        var timestamps = RequestOptions.Bool(query, "timestamps");
        var tailLines = RequestOptions.Long(query, "tailLines");
        var sinceSeconds = RequestOptions.Long(query, "sinceSeconds");
        var limitBytes = RequestOptions.Long(query, "limitBytes");
        var sinceTimeText = RequestOptions.String(query, "sinceTime");
        DateTimeOffset? sinceTime = null;
        if (!string.IsNullOrEmpty(sinceTimeText))
        {
            sinceTime = DateTimeOffset.TryParse(sinceTimeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw StatusErrors.BadRequest($"parsing time {FieldError.GoQuote(sinceTimeText)} as \"2006-01-02T15:04:05Z07:00\": cannot parse");
        }

        var errors = new List<FieldError>();
        if (tailLines < 0)
        {
            errors.Add(FieldError.Invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }

        if (limitBytes < 1)
        {
            errors.Add(FieldError.Invalid("limitBytes", limitBytes, "must be greater than 0"));
        }

        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add(FieldError.Forbidden(string.Empty, "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (sinceSeconds < 1)
        {
            errors.Add(FieldError.Invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }

        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(string.Empty, "PodLogOptions", request.Name, errors);
        }

        var container = ResolveContainer(pod, RequestOptions.String(query, "container"));
        var response = request.Http.Response;
        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            response.StatusCode = 200;
            response.ContentType = "text/plain";
            return;
        }

        if (nodes.RuntimeOf(pod.Spec.NodeName) is not { } runtime)
        {
            // Kubernetes' API server cannot reach a kubelet that is not there either.
            throw StatusErrors.InternalError($"Get \"https://{pod.Spec.NodeName}:10250/containerLogs/{request.Namespace}/{request.Name}/{container}\": node \"{pod.Spec.NodeName}\" has no container runtime in this control plane");
        }

        var run = FindRun(pod, container, previous);
        var since = sinceTime ?? (sinceSeconds is { } seconds ? time.GetUtcNow().AddSeconds(-seconds) : null);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(_options.MaxLogFollowSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(request.Cancellation, limit.Token);
        var lines = runtime.ReadLogAsync(run, new LogReadOptions(follow, tailLines, since), linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            bool more;
            try
            {
                more = await lines.MoveNextAsync();
            }
            catch (ContainerRuntimeException e)
            {
                throw StatusErrors.InternalError($"failed to read the log of container \"{container}\" in pod \"{request.Name}\": {e.Message}");
            }

            response.StatusCode = 200;
            response.ContentType = "text/plain";
            await response.StartAsync(request.Cancellation);
            Log.LogStreamStarted(logger, request.Namespace, request.Name, container, follow);
            var remaining = limitBytes ?? long.MaxValue;
            while (more && remaining > 0)
            {
                var line = lines.Current;
                var text = (timestamps ? FormatTimestamp(line.Time) + " " : string.Empty) + line.Content + (line.Complete ? "\n" : string.Empty);
                var bytes = Encoding.UTF8.GetBytes(text);
                var count = (int)Math.Min(bytes.Length, remaining);
                await response.Body.WriteAsync(bytes.AsMemory(0, count), request.Cancellation);
                remaining -= count;
                if (follow)
                {
                    await response.Body.FlushAsync(request.Cancellation);
                }

                more = remaining > 0 && await lines.MoveNextAsync();
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested && response.HasStarted)
        {
            // The client went away, or the follow reached its time limit.
        }
        finally
        {
            await lines.DisposeAsync();
        }
    }

    /// <summary>The kubelet's log timestamp: RFC 3339 with nanoseconds, always nine digits.</summary>
    internal static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    private static string ResolveContainer(V1Pod pod, string? container)
    {
        var name = pod.Metadata.Name;
        var containers = pod.Spec?.Containers ?? [];
        var init = pod.Spec?.InitContainers ?? [];
        var ephemeral = pod.Spec?.EphemeralContainers ?? [];
        if (string.IsNullOrEmpty(container))
        {
            switch (containers.Count)
            {
                case 1:
                    return containers[0].Name;
                case 0:
                    throw StatusErrors.BadRequest($"a container name must be specified for pod {name}");
                default:
                    var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers.Select(c => c.Name))}]";
                    if (init.Count > 0)
                    {
                        message += $" or one of the init containers: [{string.Join(" ", init.Select(c => c.Name))}]";
                    }

                    if (ephemeral.Count > 0)
                    {
                        message += $" or one of the ephemeral containers: [{string.Join(" ", ephemeral.Select(c => c.Name))}]";
                    }

                    throw StatusErrors.BadRequest(message);
            }
        }

        if (!containers.Any(c => c.Name == container) && !init.Any(c => c.Name == container) && !ephemeral.Any(c => c.Name == container))
        {
            throw StatusErrors.BadRequest($"container {container} is not valid for pod {name}");
        }

        return container;
    }

    /// <summary>Finds the run to read as the kubelet's validateContainerLogStatus does.</summary>
    private static ContainerRunId FindRun(V1Pod pod, string container, bool previous)
    {
        var podName = pod.Metadata.Name;
        var status = (pod.Status?.ContainerStatuses ?? [])
            .Concat(pod.Status?.InitContainerStatuses ?? [])
            .Concat(pod.Status?.EphemeralContainerStatuses ?? [])
            .FirstOrDefault(s => s.Name == container)
            ?? throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start: ContainerCreating");
        var lastTerminated = status.LastState?.Terminated;
        string? id;
        if (previous)
        {
            id = string.IsNullOrEmpty(lastTerminated?.ContainerID)
                ? throw StatusErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found")
                : lastTerminated.ContainerID;
        }
        else if (status.State?.Running is not null)
        {
            id = status.ContainerID;
        }
        else if (status.State?.Terminated is { } terminated)
        {
            id = !string.IsNullOrEmpty(terminated.ContainerID) ? terminated.ContainerID
                : !string.IsNullOrEmpty(lastTerminated?.ContainerID) ? lastTerminated.ContainerID
                : throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is terminated");
        }
        else if (lastTerminated is not null)
        {
            id = !string.IsNullOrEmpty(lastTerminated.ContainerID)
                ? lastTerminated.ContainerID
                : throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is terminated");
        }
        else if (status.State?.Waiting is { } waiting)
        {
            throw StatusErrors.BadRequest(waiting.Reason switch
            {
                "ErrImagePull" => $"container \"{container}\" in pod \"{podName}\" is waiting to start: image can't be pulled",
                "ImagePullBackOff" => $"container \"{container}\" in pod \"{podName}\" is waiting to start: trying and failing to pull image",
                var reason => $"container \"{container}\" in pod \"{podName}\" is waiting to start: {reason}",
            });
        }
        else
        {
            throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start - no logs yet");
        }

        return ContainerRunId.TryParse(id, out var run)
            ? run
            : throw StatusErrors.InternalError($"container \"{container}\" in pod \"{podName}\" has an unreadable container ID {FieldError.GoQuote(id ?? string.Empty)}");
    }
}
