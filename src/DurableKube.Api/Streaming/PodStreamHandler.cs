using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Api.Errors;
using DurableKube.Api.Logging;
using DurableKube.Api.Resources;
using DurableKube.Ports.Runtime;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Streaming;

/// <summary>
/// <c>pods/{name}/exec</c> and <c>pods/{name}/attach</c> over a WebSocket channel protocol (<c>v5.channel.k8s.io</c>,
/// <c>v4.channel.k8s.io</c>, <c>channel.k8s.io</c>, their base64 forms): the API server's checks, then the kubelet's
/// streaming session against the pod's node runtime.
/// </summary>
internal sealed class PodStreamHandler(IObjectStore store, INodeRuntimes nodes, IOptions<KubernetesApiOptions> options, ILogger<PodStreamHandler> logger)
{
    /// <summary>The annotation naming the container kubectl (and this server) picks when none is named.</summary>
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    private const byte StdinChannel = 0;
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte ErrorChannel = 3;
    private const byte ResizeChannel = 4;

    /// <summary>How long output still in the pipes is copied after the command exits.</summary>
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(2);

    /// <summary>How long the client has to answer the server's close.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly KubernetesApiOptions _options = options.Value;

    /// <summary>Serves <c>exec</c>.</summary>
    public async Task ExecAsync(ResourceRequest request)
    {
        EnsureHostServes("exec");
        var streaming = StreamingOptions.Parse(request.Query);
        if (streaming.Command.Count == 0)
        {
            throw StatusErrors.BadRequest("you must specify at least 1 command");
        }

        if (!streaming.Stdin && !streaming.Stdout && !streaming.Stderr)
        {
            throw StatusErrors.BadRequest("you must specify at least one of stdin, stdout, stderr");
        }

        var target = await ResolveAsync(request, streaming.Container);
        EnsureUpgrade(request.Http, "exec");
        var protocol = Negotiate(request.Http);
        using var connection = new ChannelConnection(await AcceptAsync(request.Http, protocol), protocol);
        Log.StreamOpened(logger, "exec", request.Namespace ?? string.Empty, request.Name, target.Container, protocol.Name);
        IExecSession session;
        try
        {
            session = await target.Runtime.ExecAsync(target.Run, new ExecSpec(streaming.Command) { Stdin = streaming.Stdin, Tty = streaming.Tty }, request.Cancellation);
        }
        catch (Exception e) when (e is ContainerRuntimeException or NotSupportedException)
        {
            await FinishAsync(connection, StartFailure(e.Message), request.Cancellation);
            await connection.DrainAsync(CloseHandshakeTimeout, request.Cancellation);
            return;
        }

        await RunAsync(connection, session, streaming, code => ExitStatus(streaming.Command, code), request.Cancellation);
    }

    /// <summary>Serves <c>attach</c>.</summary>
    public async Task AttachAsync(ResourceRequest request)
    {
        EnsureHostServes("attach");
        var streaming = StreamingOptions.Parse(request.Query) with { Command = [] };
        if (!streaming.Stdin && !streaming.Stdout && !streaming.Stderr)
        {
            throw StatusErrors.BadRequest("you must specify at least one of stdin, stdout, stderr");
        }

        var target = await ResolveAsync(request, streaming.Container);
        var spec = target.Spec;
        if (streaming.Stdin && spec is { Stdin: not true })
        {
            throw StatusErrors.BadRequest($"stdin is only supported for containers with stdin: true, but container \"{target.Container}\" does not have it");
        }

        EnsureUpgrade(request.Http, "attach");
        var protocol = Negotiate(request.Http);
        using var connection = new ChannelConnection(await AcceptAsync(request.Http, protocol), protocol);
        Log.StreamOpened(logger, "attach", request.Namespace ?? string.Empty, request.Name, target.Container, protocol.Name);
        IExecSession session;
        try
        {
            session = await target.Runtime.AttachAsync(target.Run, streaming.Stdin, request.Cancellation);
        }
        catch (Exception e) when (e is ContainerRuntimeException or NotSupportedException)
        {
            await FinishAsync(connection, StartFailure(e.Message), request.Cancellation);
            await connection.DrainAsync(CloseHandshakeTimeout, request.Cancellation);
            return;
        }

        // An attach ends with the container; the kubelet reports no exit code for it.
        await RunAsync(connection, session, streaming with { Tty = streaming.Tty && spec?.Tty == true }, _ => Success(), request.Cancellation);
    }

    /// <summary>Refuses every streaming request on a host that cannot upgrade a connection, before anything else is looked at.</summary>
    internal void EnsureHostServes(string subresource)
    {
        if (!_options.Streaming)
        {
            throw StatusErrors.StreamingNotServed(subresource);
        }
    }

    /// <summary>Refuses a valid request that is not a WebSocket upgrade (checked after the pod, as the kubelet checks it after the API server).</summary>
    internal static void EnsureUpgrade(HttpContext context, string subresource)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw HasUpgrade(context.Request, "websocket")
                ? StatusErrors.StreamingNotServed(subresource)
                : StatusErrors.BadRequest("Upgrade request required");
        }
    }

    /// <summary>Whether the request asks to upgrade to <paramref name="protocol"/> (case-insensitive prefix, e.g. <c>SPDY/3.1</c>).</summary>
    internal static bool HasUpgrade(HttpRequest request, string protocol) =>
        request.Headers.Upgrade.Any(value => value is not null && value.StartsWith(protocol, StringComparison.OrdinalIgnoreCase));

    /// <summary>Accepts the WebSocket with the negotiated subprotocol.</summary>
    internal static Task<WebSocket> AcceptAsync(HttpContext context, ChannelProtocol protocol) =>
        context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol.Name, KeepAliveInterval = TimeSpan.FromSeconds(30) });

    /// <summary>The target of a stream: the pod's container and the run now running it.</summary>
    internal sealed record Target(V1Pod Pod, string Container, V1Container? Spec, ContainerRunId Run, IContainerRuntime Runtime);

    /// <summary>Finds the pod, the container (the default-container annotation's, else the first) and its running run, as the API server and the kubelet check them.</summary>
    internal async Task<Target> ResolveAsync(ResourceRequest request, string? container)
    {
        var pod = await store.GetAsync(request.Key, request.Cancellation) as V1Pod ?? throw StatusErrors.NotFound(request.Type, request.Name);
        var name = request.Name;
        var containers = pod.Spec?.Containers ?? [];
        if (string.IsNullOrEmpty(container))
        {
            var annotated = pod.Metadata?.Annotations is { } annotations && annotations.TryGetValue(DefaultContainerAnnotation, out var value) ? value : null;
            container = containers.Any(c => c.Name == annotated) ? annotated
                : containers.Count > 0 ? containers[0].Name
                : throw StatusErrors.BadRequest($"a container name must be specified for pod {name}");
        }

        var spec = containers.Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == container);
        var ephemeral = pod.Spec?.EphemeralContainers?.FirstOrDefault(c => c.Name == container);
        if (spec is null && ephemeral is null)
        {
            throw StatusErrors.BadRequest($"container {container} is not valid for pod {name}");
        }

        if (ephemeral is not null)
        {
            spec = new V1Container { Name = ephemeral.Name, Stdin = ephemeral.Stdin, StdinOnce = ephemeral.StdinOnce, Tty = ephemeral.Tty };
        }

        if (string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            throw StatusErrors.BadRequest($"pod {name} does not have a host assigned");
        }

        var status = (pod.Status?.ContainerStatuses ?? [])
            .Concat(pod.Status?.InitContainerStatuses ?? [])
            .Concat(pod.Status?.EphemeralContainerStatuses ?? [])
            .FirstOrDefault(s => s.Name == container);
        if (status?.State?.Running is null || !ContainerRunId.TryParse(status.ContainerID, out var run))
        {
            // The kubelet's words when it has no running container of that name.
            throw StatusErrors.BadRequest($"container not found (\"{container}\")");
        }

        var runtime = nodes.RuntimeOf(pod.Spec.NodeName)
            ?? throw StatusErrors.InternalError($"node \"{pod.Spec.NodeName}\" has no container runtime in this control plane");
        return new Target(pod, container!, spec, run, runtime);
    }

    private static ChannelProtocol Negotiate(HttpContext context)
    {
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        return ChannelProtocol.Negotiate(offered, ChannelProtocol.RemoteCommand)
            ?? throw StatusErrors.BadRequest(
                $"requested protocol(s) are not supported: [{string.Join(" ", offered)}]; supports [{string.Join(" ", ChannelProtocol.RemoteCommand.Select(p => p.Name))}]");
    }

    /// <summary>Copies the session's streams to and from the connection until the command ends (or the client leaves), then reports how it ended.</summary>
    private static async Task RunAsync(ChannelConnection connection, IExecSession session, StreamingOptions streaming, Func<int, V1Status> outcome, CancellationToken aborted)
    {
        await using var owned = session;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        try
        {
            // The kubelet announces the stream with an empty message on the lowest channel the client reads.
            await connection.SendAsync(streaming.Stdout ? StdoutChannel : streaming.Stderr ? StderrChannel : ErrorChannel, ReadOnlyMemory<byte>.Empty, stop.Token);
            var receiving = ReceiveAsync(connection, session, stop.Token);
            var stdout = CopyAsync(session.Stdout, streaming.Stdout ? connection : null, StdoutChannel, stop.Token);
            var stderr = session.Stderr is { } error ? CopyAsync(error, streaming.Stderr ? connection : null, StderrChannel, stop.Token) : Task.CompletedTask;
            var first = await Task.WhenAny(session.Exited, receiving);
            if (first == receiving && !session.Exited.IsCompleted)
            {
                // The client went away: the command ends (disposing the session), as the kubelet's does.
                await stop.CancelAsync();
                return;
            }

            var code = await session.Exited;
            try
            {
                await Task.WhenAll(stdout, stderr).WaitAsync(DrainAfterExit, stop.Token);
            }
            catch (TimeoutException)
            {
                // A process the command left behind holds the output open: what it writes is not the command's.
            }

            await FinishAsync(connection, outcome(code), stop.Token);

            // The client answers the close: read until its close frame, or what it still sends would reset the connection.
            await receiving.WaitAsync(CloseHandshakeTimeout, aborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await stop.CancelAsync();
            await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (WebSocketException)
        {
            // The connection broke.
        }
    }

    private static async Task ReceiveAsync(ChannelConnection connection, IExecSession session, CancellationToken cancellationToken)
    {
        var stdin = session.Stdin;
        try
        {
            while (await connection.ReceiveAsync(cancellationToken) is { } message)
            {
                switch (message.Channel)
                {
                    case StdinChannel when stdin is not null:
                        try
                        {
                            await stdin.WriteAsync(message.Data, cancellationToken);
                            await stdin.FlushAsync(cancellationToken);
                        }
                        catch (IOException)
                        {
                            // The command closed its input.
                            stdin = null;
                        }

                        break;
                    case ResizeChannel:
                        if (ParseSize(message.Data.Span) is { } size)
                        {
                            await session.ResizeAsync(size.Width, size.Height, cancellationToken);
                        }

                        break;
                    case ChannelProtocol.CloseSignal when connection.Protocol.Version >= 5 && message.Data.Length > 0 && message.Data.Span[0] == StdinChannel:
                        // v5's close signal: the client's standard input reached its end.
                        if (stdin is not null)
                        {
                            await CloseQuietlyAsync(stdin);
                            stdin = null;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (FormatException)
        {
            // A base64 message that is not base64: the API server drops the connection's reader too.
        }

        if (stdin is not null)
        {
            await CloseQuietlyAsync(stdin);
        }
    }

    private static async Task CloseQuietlyAsync(Stream stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (IOException)
        {
            // Already closed by the command.
        }
    }

    private static async Task CopyAsync(Stream source, ChannelConnection? connection, byte channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (connection is not null)
                {
                    await connection.SendAsync(channel, buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or WebSocketException)
        {
            // The command or the client went away; the session's end says what happened.
        }
    }

    /// <summary>Reads a resize message: <c>{"Width":80,"Height":24}</c>.</summary>
    internal static (ushort Width, ushort Height)? ParseSize(ReadOnlySpan<byte> json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject;
            var width = node?["Width"]?.GetValue<int>() ?? node?["width"]?.GetValue<int>();
            var height = node?["Height"]?.GetValue<int>() ?? node?["height"]?.GetValue<int>();
            return width is >= 0 and <= ushort.MaxValue && height is >= 0 and <= ushort.MaxValue ? ((ushort)width, (ushort)height) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static async Task FinishAsync(ChannelConnection connection, V1Status status, CancellationToken cancellationToken)
    {
        if (connection.Protocol.Version >= 4)
        {
            await connection.SendAsync(ErrorChannel, ErrorChannelJson(status), cancellationToken);
        }
        else if (status.Status != "Success")
        {
            await connection.SendAsync(ErrorChannel, Encoding.UTF8.GetBytes(status.Message ?? "error"), cancellationToken);
        }

        await connection.CloseAsync(cancellationToken);
    }

    /// <summary>The error channel's Status, as the kubelet writes it: <c>{"metadata":{},"status":"Success"}</c> or a Failure.</summary>
    internal static byte[] ErrorChannelJson(V1Status status)
    {
        var node = StatusJson.ToNode(status);
        node.Remove("kind");
        node.Remove("apiVersion");
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    internal static V1Status Success() => new() { Metadata = new V1ListMeta(), Status = "Success" };

    /// <summary>The kubelet's Status for a command's exit code.</summary>
    internal static V1Status ExitStatus(IReadOnlyList<string> command, int code) => code == 0
        ? Success()
        : new V1Status
        {
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = string.Create(CultureInfo.InvariantCulture, $"command terminated with non-zero exit code: error executing command [{string.Join(" ", command)}], exit code {code}"),
            Reason = "NonZeroExitCode",
            Details = new V1StatusDetails
            {
                Causes = [new V1StatusCause { Reason = "ExitCode", Message = code.ToString(CultureInfo.InvariantCulture) }],
            },
        };

    private static V1Status StartFailure(string message) => new()
    {
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = "Internal error occurred: error executing command in container: " + message,
        Reason = "InternalError",
        Code = 500,
        Details = new V1StatusDetails { Causes = [new V1StatusCause { Message = "error executing command in container: " + message }] },
    };
}
