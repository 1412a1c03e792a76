using DurableKube.Api.Logging;
using DurableKube.Domain.Deletion;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableKube.Api.Namespaces;

/// <summary>
/// Creates the namespaces every cluster has (<c>default</c>, <c>kube-system</c>, <c>kube-public</c>,
/// <c>kube-node-lease</c>) at start-up, as the API server's system namespaces controller does; it is
/// idempotent and keeps retrying in the background while the store does not answer.
/// </summary>
internal sealed class SystemNamespaces(IObjectStore store, TimeProvider time, ILogger<SystemNamespaces> logger) : IHostedService, IDisposable
{
    public static readonly IReadOnlyList<string> Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly CancellationTokenSource _stopping = new();
    private Task _background = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync(cancellationToken);
            Log.SystemNamespacesReady(logger);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SystemNamespacesRetry(logger, 1, e);
            _background = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_background, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Creates whichever system namespaces are missing.</summary>
    internal async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var strategy = ObjectStrategies.For(ResourceTypes.Namespaces);
        foreach (var name in Names)
        {
            if (await store.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, name), cancellationToken) is not null)
            {
                continue;
            }

            var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = name } };
            strategy.Default(ns);
            strategy.PrepareForCreate(ns);
            ns.Metadata.Uid = Guid.NewGuid().ToString();
            ns.Metadata.CreationTimestamp = GracefulDeletion.Truncate(time.GetUtcNow());
            try
            {
                await store.CreateAsync(ResourceTypes.Namespaces, ns, cancellationToken);
            }
            catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
            {
                // Another instance made it first.
            }
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 2; !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt * 2)), time, cancellationToken);
                await EnsureAsync(cancellationToken);
                Log.SystemNamespacesReady(logger);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SystemNamespacesRetry(logger, attempt, e);
            }
        }
    }
}
