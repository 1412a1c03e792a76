using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;

namespace DurableKube.Bench;

/// <summary>
/// Watches the pods of one namespace and notes, on the <see cref="Stopwatch"/> clock, when each was first seen, first
/// seen Running, first seen Succeeded, and seen deleted; and when an annotation value was first seen (watch delivery).
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly string _namespace;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private PodWatch(Kubernetes client, string ns, string resourceVersion)
    {
        _client = client;
        _namespace = ns;
        _loop = Task.Run(() => LoopAsync(resourceVersion));
    }

    /// <summary>Gets when each pod was first seen.</summary>
    public ConcurrentDictionary<string, long> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets when each pod was first seen Running.</summary>
    public ConcurrentDictionary<string, long> Running { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets when each pod was first seen Succeeded.</summary>
    public ConcurrentDictionary<string, long> Succeeded { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets when each pod was seen deleted.</summary>
    public ConcurrentDictionary<string, long> Deleted { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets when each value of the annotation <c>bench/touch</c> was first seen.</summary>
    public ConcurrentDictionary<string, long> Touches { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts watching from now.</summary>
    /// <param name="client">The client.</param>
    /// <param name="ns">The namespace.</param>
    /// <returns>The watch.</returns>
    public static async Task<PodWatch> StartAsync(Kubernetes client, string ns)
    {
        var list = await client.CoreV1.ListNamespacedPodAsync(ns, limit: 1);
        return new PodWatch(client, ns, list.Metadata.ResourceVersion);
    }

    /// <summary>Waits until <paramref name="done"/> holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="done">The condition.</param>
    /// <param name="timeout">The deadline.</param>
    /// <returns>Whether it held.</returns>
    public static async Task<bool> UntilAsync(Func<bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void Record(WatchEventType type, V1Pod pod, long now)
    {
        if (type == WatchEventType.Bookmark || pod.Metadata?.Name is not { } name)
        {
            return;
        }

        Seen.TryAdd(name, now);
        if (type == WatchEventType.Deleted)
        {
            Deleted.TryAdd(name, now);
            return;
        }

        if (pod.Status?.Phase == "Running")
        {
            Running.TryAdd(name, now);
        }
        else if (pod.Status?.Phase == "Succeeded")
        {
            Succeeded.TryAdd(name, now);
        }

        if (pod.Metadata.Annotations?.TryGetValue("bench/touch", out var touch) == true)
        {
            Touches.TryAdd(touch, now);
        }
    }

    private async Task LoopAsync(string resourceVersion)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var watch = _client.CoreV1.WatchListNamespacedPodAsync(
                    _namespace, resourceVersion: resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 600, cancellationToken: _stop.Token);
                await foreach (var (type, pod) in watch.WithCancellation(_stop.Token))
                {
                    resourceVersion = pod.Metadata?.ResourceVersion ?? resourceVersion;
                    Record(type, pod, Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException or KubernetesException)
            {
                // A watch that ends with an error (e.g. its resourceVersion too old) starts again from a fresh list.
                await Console.Error.WriteLineAsync($"bench: the watch of {_namespace} ended ({e.Message}); watching again");
                await Task.Delay(200, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                try
                {
                    var list = await _client.CoreV1.ListNamespacedPodAsync(_namespace);
                    var now = Stopwatch.GetTimestamp();
                    foreach (var pod in list.Items)
                    {
                        Record(WatchEventType.Modified, pod, now);
                    }

                    resourceVersion = list.Metadata.ResourceVersion;
                }
                catch (HttpRequestException)
                {
                }
            }
        }
    }
}
