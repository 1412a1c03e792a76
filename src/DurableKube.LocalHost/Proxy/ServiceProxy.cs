using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Services;
using DurableKube.Ports.Store;
using k8s.Models;

namespace DurableKube.LocalHost.Proxy;

/// <summary>
/// The local host's kube-proxy in its original userspace mode: it listens on every ClusterIP:port (TCP) of every
/// Service (the service range is a loopback range, so these addresses are this machine's) and forwards each
/// connection to a ready endpoint of the Service, round-robin, trying the next one when a backend refuses. What it
/// listens on follows the store's watch of Services and Endpoints (and a resync every <see cref="Resync"/>).
/// </summary>
/// <remarks>
/// Ports below 1024 need the privilege to bind them (root or CAP_NET_BIND_SERVICE): without it a Service port such as
/// 443 is logged once and not served locally. The Functions host has no such proxy: ClusterIPs are not reachable from
/// ACI pods.
/// </remarks>
internal sealed partial class ServiceProxy(IObjectStore store, ILogger<ServiceProxy> logger) : BackgroundService
{
    /// <summary>How often the routes are listed again even without a watch event.</summary>
    internal static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string IP, int Port), Listener> _listeners = new();
    private readonly HashSet<(string IP, int Port)> _refused = [];
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var listener in _listeners.Values)
        {
            listener.Dispose();
        }

        _changed.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watches = new[] { WatchAsync(ResourceTypes.Services, stoppingToken), WatchAsync(ResourceTypes.Endpoints, stoppingToken) };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ApplyAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogResyncFailed(logger, e);
            }

            try
            {
                await _changed.WaitAsync(Resync, stoppingToken);
                while (_changed.CurrentCount > 0)
                {
                    await _changed.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(watches).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var services = await store.ListAsync(ResourceTypes.Services, null, ListQuery.All, cancellationToken);
        var endpoints = await store.ListAsync(ResourceTypes.Endpoints, null, ListQuery.All, cancellationToken);
        var routes = ProxyRoutes.Plan(services.Items.Cast<V1Service>(), endpoints.Items.Cast<V1Endpoints>());
        var wanted = routes.ToDictionary(r => (r.ClusterIP, r.Port));
        foreach (var (key, listener) in _listeners)
        {
            if (!wanted.ContainsKey(key) && _listeners.TryRemove(key, out _))
            {
                listener.Dispose();
                LogStopped(logger, key.IP, key.Port);
            }
        }

        foreach (var route in routes)
        {
            var key = (route.ClusterIP, route.Port);
            if (_listeners.TryGetValue(key, out var existing))
            {
                existing.Backends = route.Backends;
                continue;
            }

            try
            {
                var listener = new Listener(route, logger);
                _listeners[key] = listener;
                _refused.Remove(key);
                LogListening(logger, route.ClusterIP, route.Port, route.Service);
            }
            catch (SocketException e)
            {
                if (_refused.Add(key))
                {
                    LogCannotListen(logger, route.ClusterIP, route.Port, route.Service, e.Message);
                }
            }
        }
    }

    private async Task WatchAsync(ResourceType type, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var from = await store.GetResourceVersionAsync(cancellationToken);
                _changed.Release();
                await foreach (var _ in store.WatchAsync(type, null, from, cancellationToken))
                {
                    _changed.Release();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                LogWatchFailed(logger, type.GroupResource, e);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Service proxy listening on {ClusterIP}:{Port} for {Service}")]
    private static partial void LogListening(ILogger logger, string clusterIP, int port, string service);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Service proxy stopped listening on {ClusterIP}:{Port}")]
    private static partial void LogStopped(ILogger logger, string clusterIP, int port);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Service proxy cannot listen on {ClusterIP}:{Port} for {Service} ({Reason}); that port is not served locally")]
    private static partial void LogCannotListen(ILogger logger, string clusterIP, int port, string service, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Service proxy could not list Services and Endpoints; trying again")]
    private static partial void LogResyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "Service proxy's watch of {Resource} failed; watching again")]
    private static partial void LogWatchFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Debug, Message = "Service proxy could not reach {IP}:{Port} for {Service}: {Error}")]
    private static partial void LogBackendFailed(ILogger logger, string ip, int port, string service, SocketError error);

    /// <summary>One listening socket and its connections.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly TcpListener _socket;
        private readonly CancellationTokenSource _stop = new();
        private readonly string _service;
        private readonly ILogger _logger;
        private int _next;

        public Listener(ProxyRoute route, ILogger logger)
        {
            _service = route.Service;
            _logger = logger;
            Backends = route.Backends;
            _socket = new TcpListener(IPAddress.Parse(route.ClusterIP), route.Port);
            _socket.Start();
            _ = AcceptAsync(_stop.Token);
        }

        public IReadOnlyList<(string IP, int Port)> Backends { get; set; }

        public void Dispose()
        {
            _stop.Cancel();
            _socket.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _socket.AcceptTcpClientAsync(cancellationToken);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = ServeAsync(client, cancellationToken);
            }
        }

        private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
        {
            using (client)
            {
                var backends = Backends;
                for (var attempt = 0; attempt < backends.Count; attempt++)
                {
                    var (ip, port) = backends[(int)((uint)Interlocked.Increment(ref _next) % (uint)backends.Count)];
                    using var upstream = new TcpClient();
                    try
                    {
                        await upstream.ConnectAsync(IPAddress.Parse(ip), port, cancellationToken);
                    }
                    catch (SocketException e)
                    {
                        LogBackendFailed(_logger, ip, port, _service, e.SocketErrorCode);
                        continue;
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await PipeAsync(client, upstream, cancellationToken);
                    return;
                }
            }
        }

        private static async Task PipeAsync(TcpClient client, TcpClient upstream, CancellationToken cancellationToken)
        {
            var a = client.GetStream();
            var b = upstream.GetStream();
            var up = CopyAsync(a, b, upstream.Client, cancellationToken);
            var down = CopyAsync(b, a, client.Client, cancellationToken);
            await Task.WhenAll(up, down).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        private static async Task CopyAsync(NetworkStream from, NetworkStream to, Socket target, CancellationToken cancellationToken)
        {
            try
            {
                await from.CopyToAsync(to, cancellationToken);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The other side went away.
            }
            finally
            {
                try
                {
                    target.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    // Already closed.
                }
            }
        }
    }
}
