using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>
/// A typed client for the container groups of one resource group, over Azure.Core's <see cref="HttpPipeline"/>
/// (bearer token for ARM's scope from a <see cref="TokenCredential"/>) and ARM's REST API, api-version
/// <see cref="AciArmOptions.ApiVersion"/>.
/// </summary>
/// <remarks>
/// <para>
/// Retries (Polly): 408, 429 and 5xx answers, dropped connections and timed-out requests are tried again up to
/// <see cref="AciArmOptions.MaxRetries"/> times, backing off exponentially with jitter, or after ARM's
/// <c>Retry-After</c> when it gives one. A <c>Retry-After</c> longer than <see cref="AciArmOptions.MaxRetryDelay"/>,
/// or retries running out, end the call with a transient <see cref="ContainerRuntimeException"/>: the durable
/// workflow above retries later instead of blocking an activity. Azure.Core's own retries are off.
/// </para>
/// <para>
/// Long-running operations (PUT, DELETE, restart, start) are polled as ARM specifies: the <c>Azure-AsyncOperation</c>
/// URL if the answer has one (its body's <c>status</c> ends at Succeeded, Failed or Canceled), else the
/// <c>Location</c> URL (202 while running), waiting <c>Retry-After</c> between polls or
/// <see cref="AciArmOptions.OperationPollInterval"/>.
/// </para>
/// <para>
/// Errors: a quota or capacity refusal of a create (<see cref="ArmError.IsCapacity"/>) is a result, not an exception;
/// any other error answer becomes a <see cref="ContainerRuntimeException"/> carrying ARM's code and message, transient
/// or not as <see cref="ArmError.IsTransient"/> says (a 400 <c>InvalidContainerGroup...</c> is not).
/// </para>
/// </remarks>
public sealed class ContainerGroupClient
{
    private const string Provider = "providers/Microsoft.ContainerInstance/containerGroups";

    private readonly AciArmOptions _options;
    private readonly HttpPipeline _pipeline;
    private readonly ResiliencePipeline<Response> _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _groupsPath;
    private readonly HttpMessageInvoker? _sessions;

    /// <summary>Initializes a new instance of the <see cref="ContainerGroupClient"/> class.</summary>
    /// <param name="options">Where the groups live and how patiently to talk to ARM.</param>
    /// <param name="credential">The identity the requests are made as (managed identity in Azure).</param>
    /// <param name="requests">Counts every request sent.</param>
    /// <param name="transport">The HTTP transport, or <see langword="null"/> for Azure.Core's default (tests pass one that trusts the fake's certificate).</param>
    /// <param name="timeProvider">The clock for back-off and polling waits.</param>
    /// <param name="logger">Where retries are logged.</param>
    /// <param name="sessions">
    /// What exec sessions' WebSockets connect through, or <see langword="null"/> for the default (tests pass a handler that
    /// trusts the fake's certificate).
    /// </param>
    public ContainerGroupClient(
        AciArmOptions options,
        TokenCredential credential,
        ArmRequestCounter requests,
        HttpPipelineTransport? transport = null,
        TimeProvider? timeProvider = null,
        ILogger<ContainerGroupClient>? logger = null,
        HttpMessageInvoker? sessions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(requests);
        _options = options;
        Requests = requests;
        _sessions = sessions;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<ContainerGroupClient>.Instance;
        _groupsPath = $"subscriptions/{Uri.EscapeDataString(options.SubscriptionId)}/resourceGroups/{Uri.EscapeDataString(options.ResourceGroup)}/{Provider}";
        _pipeline = HttpPipelineBuilder.Build(
            new ArmPipelineOptions(options, transport),
            perCallPolicies: [],
            perRetryPolicies: [new BearerTokenAuthenticationPolicy(credential, AciArmOptions.ManagementScope), new RequestCountingPolicy(requests)],
            responseClassifier: new ResponseClassifier());
        _retry = new ResiliencePipelineBuilder<Response>
        {
            TimeProvider = _time,
        }
            .AddRetry(new RetryStrategyOptions<Response>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
                OnRetry = args =>
                {
                    var failure = args.Outcome.Exception?.Message ?? args.Outcome.Result?.Status.ToString(CultureInfo.InvariantCulture) ?? "?";
                    Log.ArmRetry(_logger, args.Context.OperationKey ?? "?", "", failure, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Gets the counter of the requests this client sends.</summary>
    public ArmRequestCounter Requests { get; }

    /// <summary>The URL of a group (with the api-version).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="suffix">A sub-path such as <c>/restart</c>, or empty.</param>
    /// <param name="query">More query parameters (already escaped, each starting with <c>&amp;</c>), or empty.</param>
    /// <returns>The URL.</returns>
    public Uri GroupUri(string name, string suffix = "", string query = "") =>
        new(_options.Endpoint, $"{_groupsPath}/{Uri.EscapeDataString(name)}{suffix}?api-version={Uri.EscapeDataString(_options.ApiVersion)}{query}");

    /// <summary>Creates a group, or updates the one of that name (PUT).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="group">The group.</param>
    /// <param name="waitUntil">Return once ARM accepted it, or once provisioning ended (then the group is read again).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The group as ARM answered, or ARM's quota or capacity refusal.</returns>
    /// <exception cref="ContainerRuntimeException">ARM refused the group (not for capacity), failed to provision it, or could not be reached.</exception>
    public async Task<ContainerGroupWriteResult> CreateOrUpdateAsync(string name, ContainerGroup group, WaitUntil waitUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        var body = JsonSerializer.SerializeToUtf8Bytes(group, AciJsonContext.Default.ContainerGroup);
        using var response = await SendAsync(RequestMethod.Put, GroupUri(name), body, cancellationToken);
        if (IsError(response))
        {
            var error = ReadError(response);
            return error.IsCapacity ? Refused(name, error) : throw Failure("create or update", name, error);
        }

        var accepted = Read(response, AciJsonContext.Default.ContainerGroup);
        if (waitUntil == WaitUntil.Started)
        {
            return new ContainerGroupWriteResult(accepted, null);
        }

        var failed = await WaitForOperationAsync(response, goneMeansDone: false, cancellationToken);
        if (failed is not null)
        {
            return failed.IsCapacity ? Refused(name, failed) : throw Failure("provision", name, failed);
        }

        var final = await GetAsync(name, cancellationToken)
            ?? throw new ContainerRuntimeException($"Container group '{name}' was deleted while it was being created.", transient: true);
        return new ContainerGroupWriteResult(final, null);
    }

    /// <summary>Reads a group with its instance view (GET).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The group, or <see langword="null"/> if there is none of that name.</returns>
    public async Task<ContainerGroup?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(RequestMethod.Get, GroupUri(name), null, cancellationToken);
        if (IsGone(response))
        {
            return null;
        }

        return IsError(response) ? throw Failure("read", name, ReadError(response)) : Read(response, AciJsonContext.Default.ContainerGroup);
    }

    /// <summary>Lists the resource group's container groups, every page (ARM leaves their instance view out).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The groups.</returns>
    public async Task<IReadOnlyList<ContainerGroup>> ListAsync(CancellationToken cancellationToken = default)
    {
        var groups = new List<ContainerGroup>();
        Uri? next = new(_options.Endpoint, $"{_groupsPath}?api-version={Uri.EscapeDataString(_options.ApiVersion)}");
        while (next is not null)
        {
            using var response = await SendAsync(RequestMethod.Get, next, null, cancellationToken);
            if (IsError(response))
            {
                throw Failure("list", _options.ResourceGroup, ReadError(response));
            }

            var page = Read(response, AciJsonContext.Default.ContainerGroupListResult);
            groups.AddRange(page.Value);
            next = page.NextLink;
        }

        return groups;
    }

    /// <summary>Deletes a group (long-running).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="waitUntil">Return once ARM accepted the deletion, or once it is done.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// <see langword="false"/> when ARM answered 404; a delete of a missing group succeeds either way (ARM usually
    /// answers 204 for it, so <see langword="true"/> does not prove the group existed).
    /// </returns>
    public async Task<bool> DeleteAsync(string name, WaitUntil waitUntil, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, GroupUri(name), null, cancellationToken);
        if (IsGone(response))
        {
            return false;
        }

        if (IsError(response))
        {
            throw Failure("delete", name, ReadError(response));
        }

        if (waitUntil == WaitUntil.Completed && await WaitForOperationAsync(response, goneMeansDone: true, cancellationToken) is { } failed)
        {
            throw Failure("delete", name, failed);
        }

        return true;
    }

    /// <summary>Replaces a group's tags (PATCH), leaving its containers as they are.</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="tags">The tags, all of them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether there was such a group.</returns>
    public async Task<bool> UpdateTagsAsync(string name, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ContainerGroupTagsPatch { Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) }, AciJsonContext.Default.ContainerGroupTagsPatch);
        using var response = await SendAsync(RequestMethod.Patch, GroupUri(name), body, cancellationToken);
        if (IsGone(response))
        {
            return false;
        }

        return IsError(response) ? throw Failure("update the tags of", name, ReadError(response)) : true;
    }

    /// <summary>Restarts every container of a group in place (POST <c>/restart</c>, long-running).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="waitUntil">Return once accepted, or once done.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether there was such a group.</returns>
    public Task<bool> RestartAsync(string name, WaitUntil waitUntil, CancellationToken cancellationToken = default) =>
        ActAsync(name, "restart", waitUntil, cancellationToken);

    /// <summary>Stops every container of a group and deallocates it (POST <c>/stop</c>).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether there was such a group.</returns>
    public Task<bool> StopAsync(string name, CancellationToken cancellationToken = default) =>
        ActAsync(name, "stop", WaitUntil.Completed, cancellationToken);

    /// <summary>Starts a stopped group again (POST <c>/start</c>, long-running).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="waitUntil">Return once accepted, or once done.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether there was such a group.</returns>
    public Task<bool> StartAsync(string name, WaitUntil waitUntil, CancellationToken cancellationToken = default) =>
        ActAsync(name, "start", waitUntil, cancellationToken);

    /// <summary>Reads a container's log (GET <c>/containers/{container}/logs</c>).</summary>
    /// <param name="name">The group's name.</param>
    /// <param name="container">The container's name.</param>
    /// <param name="tail">Only the last this many lines, if set.</param>
    /// <param name="timestamps">Whether each line starts with its RFC 3339 time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log text, or <see langword="null"/> if there is no such group or container.</returns>
    public async Task<string?> GetLogsAsync(string name, string container, int? tail, bool timestamps, CancellationToken cancellationToken = default)
    {
        var query = (tail is { } lines ? $"&tail={lines.ToString(CultureInfo.InvariantCulture)}" : "") + (timestamps ? "&timestamps=true" : "");
        using var response = await SendAsync(RequestMethod.Get, GroupUri(name, $"/containers/{Uri.EscapeDataString(container)}/logs", query), null, cancellationToken);
        if (IsGone(response))
        {
            return null;
        }

        return IsError(response)
            ? throw Failure("read the log of", name, ReadError(response))
            : Read(response, AciJsonContext.Default.ContainerLogs).Content ?? "";
    }

    /// <summary>
    /// Starts a command in a running container (POST <c>/containers/{container}/exec</c>): ARM answers where the
    /// session's WebSocket is and the password it expects first; the command starts once it is connected.
    /// </summary>
    /// <param name="name">The group's name.</param>
    /// <param name="container">The container's name.</param>
    /// <param name="command">The command line, one string as ACI takes it.</param>
    /// <param name="columns">The terminal's columns.</param>
    /// <param name="rows">The terminal's rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session's address and password, or <see langword="null"/> if there is no such group or container.</returns>
    public async Task<ContainerExecResponse?> ExecuteCommandAsync(string name, string container, string command, int columns, int rows, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ContainerExecRequest { Command = command, TerminalSize = new ContainerExecTerminalSize { Cols = columns, Rows = rows } },
            AciJsonContext.Default.ContainerExecRequest);
        using var response = await SendAsync(RequestMethod.Post, GroupUri(name, $"/containers/{Uri.EscapeDataString(container)}/exec"), body, cancellationToken);
        if (IsGone(response))
        {
            return null;
        }

        if (IsError(response))
        {
            throw Failure("run a command in", name, ReadError(response));
        }

        var answer = Read(response, AciJsonContext.Default.ContainerExecResponse);
        return answer.WebSocketUri is null || answer.Password is null
            ? throw new ContainerRuntimeException($"ARM answered the exec of {container} in {name} without a WebSocket address and password.", transient: false)
            : answer;
    }

    /// <summary>
    /// Connects to an exec session ARM handed out (<see cref="ExecuteCommandAsync"/>) and sends its password, the first
    /// message ACI expects; from then on the socket carries the terminal's bytes both ways.
    /// </summary>
    /// <param name="session">The session ARM handed out.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <returns>The open socket.</returns>
    public async Task<WebSocket> ConnectSessionAsync(ContainerExecResponse session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(session.WebSocketUri!, _sessions, cancellationToken);
            await socket.SendAsync(Encoding.UTF8.GetBytes(session.Password!), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            socket.Dispose();
            throw new ContainerRuntimeException($"Could not connect to the exec session at {session.WebSocketUri!.Host}: {e.Message}", transient: true, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<bool> ActAsync(string name, string action, WaitUntil waitUntil, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(RequestMethod.Post, GroupUri(name, "/" + action), null, cancellationToken);
        if (IsGone(response))
        {
            return false;
        }

        if (IsError(response))
        {
            throw Failure(action, name, ReadError(response));
        }

        if (waitUntil == WaitUntil.Completed && await WaitForOperationAsync(response, goneMeansDone: false, cancellationToken) is { } failed)
        {
            throw Failure(action, name, failed);
        }

        return true;
    }

    /// <summary>Polls a long-running operation to its end.</summary>
    /// <returns><see langword="null"/> once it succeeded, else the error it failed with.</returns>
    private async Task<ArmError?> WaitForOperationAsync(Response initial, bool goneMeansDone, CancellationToken cancellationToken)
    {
        var asyncOperation = Header(initial, "Azure-AsyncOperation");
        var location = Header(initial, "Location");
        if (asyncOperation is null && location is null)
        {
            return null;
        }

        var pollUri = new Uri(asyncOperation ?? location!);
        var started = _time.GetUtcNow();
        var delay = RetryAfter(initial) ?? _options.OperationPollInterval;
        while (true)
        {
            if (_time.GetUtcNow() - started > _options.OperationTimeout)
            {
                throw new ContainerRuntimeException($"ARM's operation {pollUri.AbsolutePath} did not end within {_options.OperationTimeout}.", transient: true);
            }

            await Task.Delay(delay, _time, cancellationToken);
            using var poll = await SendAsync(RequestMethod.Get, pollUri, null, cancellationToken);
            delay = RetryAfter(poll) ?? _options.OperationPollInterval;
            if (asyncOperation is not null)
            {
                if (IsError(poll))
                {
                    return ReadError(poll);
                }

                var status = Read(poll, AciJsonContext.Default.ArmOperationStatus);
                switch (status.Status)
                {
                    case "Succeeded":
                        return null;
                    case "Failed" or "Canceled":
                        return new ArmError(0, status.Error?.Code ?? status.Status, status.Error?.Message ?? $"The operation ended {status.Status}.");
                    default:
                        continue;
                }
            }

            if (poll.Status == 202)
            {
                continue;
            }

            if (goneMeansDone && poll.Status == 404)
            {
                return null;
            }

            return IsError(poll) ? ReadError(poll) : null;
        }
    }

    /// <summary>Sends one request, retrying as the class remarks say; returns the last answer (which may be an error answer).</summary>
    private async Task<Response> SendAsync(RequestMethod method, Uri uri, byte[]? body, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get($"{method} {uri.AbsolutePath}", cancellationToken);
        try
        {
            var outcome = await _retry.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        var request = state.Client._pipeline.CreateRequest();
                        request.Method = state.Method;
                        request.Uri.Reset(state.Uri);
                        request.Headers.Add("Accept", "application/json");
                        if (state.Body is not null)
                        {
                            request.Headers.Add("Content-Type", "application/json");
                            request.Content = RequestContent.Create(state.Body);
                        }

                        var response = await state.Client._pipeline.SendRequestAsync(request, context.CancellationToken);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<Response>(e);
                    }
                },
                context,
                (Client: this, Method: method, Uri: uri, Body: body));
            if (outcome.Exception is { } exception)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new ContainerRuntimeException($"ARM did not answer {method} {uri.AbsolutePath}: {exception.Message}", transient: true, exception);
            }

            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(Outcome<Response> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            return !cancellationToken.IsCancellationRequested
                && exception is RequestFailedException { Status: 0 } or HttpRequestException or IOException or TimeoutException or OperationCanceledException;
        }

        var response = outcome.Result!;
        if (response.Status is not (408 or 429 or >= 500) || ReadError(response).IsCapacity)
        {
            return false;
        }

        return RetryAfter(response) is not { } after || after <= _options.MaxRetryDelay;
    }

    private ContainerGroupWriteResult Refused(string name, ArmError error)
    {
        Log.ArmCapacity(_logger, name, error.Code, error.Message);
        return new ContainerGroupWriteResult(null, error);
    }

    private static ContainerRuntimeException Failure(string operation, string name, ArmError error)
    {
        var status = error.Status > 0 ? $"{error.Status.ToString(CultureInfo.InvariantCulture)} " : "";
        return new ContainerRuntimeException($"ARM could not {operation} container group '{name}' ({status}{error.Code}): {error.Message}", error.IsTransient);
    }

    private static bool IsError(Response response) => response.Status >= 400;

    private static bool IsGone(Response response) =>
        response.Status == 404 && !ReadError(response).Code.Equals("ResourceGroupNotFound", StringComparison.OrdinalIgnoreCase);

    private static T Read<T>(Response response, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Content.ToMemory().Span, type)
                ?? throw new ContainerRuntimeException($"ARM answered {response.Status} with an empty body.", transient: true);
        }
        catch (JsonException e)
        {
            throw new ContainerRuntimeException($"ARM answered {response.Status} with a body that is not the expected JSON: {e.Message}", transient: true, e);
        }
    }

    /// <summary>ARM's error body of an error answer; an answer without one gets a code from its status.</summary>
    internal static ArmError ReadError(Response response)
    {
        ArmErrorDetail? detail = null;
        var content = response.Content;
        if (content is not null && !content.ToMemory().IsEmpty)
        {
            try
            {
                detail = JsonSerializer.Deserialize(content.ToMemory().Span, AciJsonContext.Default.ArmErrorResponse)?.Error;
            }
            catch (JsonException)
            {
                // Not ARM's shape (a proxy's page): the status says enough.
            }
        }

        var code = detail?.Code is { Length: > 0 } c ? c : $"HttpStatus{response.Status.ToString(CultureInfo.InvariantCulture)}";
        var message = detail?.Message is { Length: > 0 } m ? m : (string.IsNullOrEmpty(response.ReasonPhrase) ? "no message" : response.ReasonPhrase);
        return new ArmError(response.Status, code, message);
    }

    /// <summary>How long ARM asks to wait: <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, or <c>Retry-After</c> in seconds or as a date.</summary>
    internal TimeSpan? RetryAfter(Response response)
    {
        foreach (var header in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (Header(response, header) is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (Header(response, "Retry-After") is not { } value)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? TimeSpan.FromTicks(Math.Max(0, (date - _time.GetUtcNow()).Ticks))
            : null;
    }

    private static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
