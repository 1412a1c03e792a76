using System.Collections.Concurrent;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>
/// Makes images present as the kubelet's image manager does: by pull policy, one pull per image at a time that goes on
/// in the background while callers are told "still pulling", and after a failed pull a back-off (10 s doubling to
/// 5 min) during which callers are told <c>ImagePullBackOff</c> instead of pulling again.
/// </summary>
internal sealed class ImagePuller
{
    /// <summary>The first back-off after a failed pull.</summary>
    public static readonly TimeSpan InitialBackOff = TimeSpan.FromSeconds(10);

    /// <summary>The longest back-off.</summary>
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    private readonly DockerClient _client;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, PullState> _pulls = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ImagePuller"/> class.</summary>
    /// <param name="client">The Engine API client.</param>
    /// <param name="time">The clock.</param>
    public ImagePuller(DockerClient client, TimeProvider time)
    {
        _client = client;
        _time = time;
    }

    /// <summary>Whether the engine has an image.</summary>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it is present.</returns>
    public async Task<bool> IsPresentAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes one container's image ready under its policy, or says why the container waits. A pull that takes longer
    /// than <paramref name="wait"/> goes on; the next call finds it done or still going.
    /// </summary>
    /// <param name="image">The image and policy.</param>
    /// <param name="alreadyPulled">Whether this pod has already pulled it (an <c>Always</c> image is pulled once per pod).</param>
    /// <param name="credentials">The pod's registry credentials.</param>
    /// <param name="wait">How long to wait for a pull.</param>
    /// <param name="cancellationToken">Cancels the wait, not the pull.</param>
    /// <returns><see langword="null"/> when the image is ready, else why the container waits.</returns>
    public async Task<ContainerWaiting?> EnsureAsync(
        ContainerImage image, bool alreadyPulled, IReadOnlyList<ImagePullCredential> credentials, TimeSpan wait, CancellationToken cancellationToken)
    {
        var present = await IsPresentAsync(image.Image, cancellationToken);
        switch (image.PullPolicy)
        {
            case ImagePullPolicies.Never:
                return present ? null : new ContainerWaiting(
                    image.Container, "ErrImageNeverPull", $"Container image \"{image.Image}\" is not present with pull policy of Never");
            case ImagePullPolicies.Always when alreadyPulled && present:
                return null;
            case ImagePullPolicies.Always:
                break;
            default:
                if (present)
                {
                    return null;
                }

                break;
        }

        var state = _pulls.GetOrAdd(image.Image, _ => new PullState());
        Task pull;
        lock (state)
        {
            if (state.Pull is { IsCompleted: false } running)
            {
                pull = running;
            }
            else if (state.Failed && _time.GetUtcNow() < state.RetryAt)
            {
                return new ContainerWaiting(image.Container, "ImagePullBackOff", $"Back-off pulling image \"{image.Image}\"");
            }
            else
            {
                state.Failed = false;
                pull = state.Pull = PullAsync(image.Image, credentials, state);
            }
        }

        await Task.WhenAny(pull, Task.Delay(wait, _time, cancellationToken));
        if (!pull.IsCompleted)
        {
            return new ContainerWaiting(image.Container, "ContainerCreating", $"Pulling image \"{image.Image}\"");
        }

        lock (state)
        {
            return state.Failed ? new ContainerWaiting(image.Container, "ErrImagePull", state.Error) : null;
        }
    }

    /// <summary>Pulls an image, recording its failure and the next allowed try.</summary>
    private async Task PullAsync(string image, IReadOnlyList<ImagePullCredential> credentials, PullState state)
    {
        await Task.Yield();
        string? error = null;
        try
        {
            var (name, tag) = Split(image);
            var progress = new SyncProgress<JSONMessage>(message =>
            {
                if (!string.IsNullOrEmpty(message.ErrorMessage))
                {
                    error = message.ErrorMessage;
                }
            });
            await _client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = name, Tag = tag }, Auth(image, credentials), progress, CancellationToken.None);
            if (error is null && !await IsPresentAsync(image, CancellationToken.None))
            {
                error = "the engine reported no error but has no such image";
            }
        }
        catch (DockerApiException e)
        {
            error = DockerErrors.Message(e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException)
        {
            error = e.Message;
        }

        lock (state)
        {
            if (error is null)
            {
                state.Failed = false;
                state.Failures = 0;
                return;
            }

            state.Failures++;
            state.Failed = true;
            state.Error = $"failed to pull image \"{image}\": Error response from daemon: {error}";
            var backOff = TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, InitialBackOff.Ticks << Math.Min(state.Failures - 1, 10)));
            state.RetryAt = _time.GetUtcNow() + backOff;
        }
    }

    /// <summary>Splits an image into the repository and tag (or digest) the create endpoint takes; no tag is <c>latest</c>.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The repository and tag.</returns>
    public static (string Name, string Tag) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>The registry host of an image: its first part when that looks like a host, else Docker Hub.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The host.</returns>
    public static string Registry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = image[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return first;
            }
        }

        return "docker.io";
    }

    private static AuthConfig? Auth(string image, IReadOnlyList<ImagePullCredential> credentials)
    {
        var registry = Registry(image);
        static string Host(string server) =>
            server.Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal).Split('/')[0];
        var match = credentials.FirstOrDefault(c =>
            Host(c.Server) == registry || (registry == "docker.io" && Host(c.Server) is "index.docker.io" or "registry-1.docker.io"));
        return match is null ? null : new AuthConfig { Username = match.Username, Password = match.Password, ServerAddress = match.Server };
    }

    private sealed class PullState
    {
        public Task? Pull { get; set; }

        public bool Failed { get; set; }

        public int Failures { get; set; }

        public string? Error { get; set; }

        public DateTimeOffset RetryAt { get; set; }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>).</summary>
/// <typeparam name="T">The report's type.</typeparam>
internal sealed class SyncProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;

    /// <summary>Initializes a new instance of the <see cref="SyncProgress{T}"/> class.</summary>
    /// <param name="report">What to do with each report.</param>
    public SyncProgress(Action<T> report) => _report = report;

    /// <inheritdoc />
    public void Report(T value) => _report(value);
}

/// <summary>Turns the engine's error answers into sentences.</summary>
internal static class DockerErrors
{
    /// <summary>The engine's message from an error answer (its JSON <c>message</c>), or the answer itself.</summary>
    /// <param name="e">The error.</param>
    /// <returns>The message.</returns>
    public static string Message(DockerApiException e)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(e.ResponseBody ?? string.Empty);
            if (json.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text)
            {
                return text;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the body is the message.
        }

        return string.IsNullOrWhiteSpace(e.ResponseBody) ? e.Message : e.ResponseBody.Trim();
    }
}
