using DurableKube.Api.Logging;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableKube.Api.Namespaces;

/// <summary>
/// Creates the namespaces every cluster has (<c>default</c>, <c>kube-system</c>, <c>kube-public</c>,
/// <c>kube-node-lease</c>) at start-up, as the API server's system namespaces controller does; it is
/// idempotent and keeps retrying in the background while the store does not answer.
/// </summary>
internal sealed class SystemNamespaces(ObjectRegistry registry, TimeProvider time, ILogger<SystemNamespaces> logger) : IHostedService, IDisposable
{
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
        foreach (var name in NamespaceStrategy.SystemNamespaces)
        {
            if (await registry.GetAsync(new ObjectKey(ResourceTypes.Namespaces, null, name), cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                await registry.CreateAsync(ResourceTypes.Namespaces, new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
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
