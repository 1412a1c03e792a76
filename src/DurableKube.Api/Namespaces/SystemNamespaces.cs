using DurableKube.Api.Logging;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Strategies;
using DurableKube.Ports.Store;
using DurableKube.Registry;
using DurableKube.Registry.Services;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableKube.Api.Namespaces;

/// <summary>
/// Creates the namespaces every cluster has (<c>default</c>, <c>kube-system</c>, <c>kube-public</c>,
/// <c>kube-node-lease</c>) at start-up, as the API server's system namespaces controller does; it is
/// idempotent and keeps retrying in the background while the store does not answer.
/// </summary>
/// <remarks>
/// It then makes the <c>kubernetes</c> Service in <c>default</c> (the service range's first address, port 443 named
/// <c>https</c>, targetPort the API's port) with its Endpoints and EndpointSlice naming the API server, as the API
/// server's own controller does; an existing one is left as it is.
/// </remarks>
internal sealed class SystemNamespaces(
    ObjectRegistry registry,
    TimeProvider time,
    IOptions<KubernetesApiOptions> options,
    ILogger<SystemNamespaces> logger,
    ServiceClusterIPRange? range = null) : IHostedService, IDisposable
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

        if (range is not null)
        {
            await EnsureKubernetesServiceAsync(range, cancellationToken);
        }
    }

    /// <summary>Creates the <c>kubernetes</c> Service, its Endpoints and its EndpointSlice if missing.</summary>
    private async Task EnsureKubernetesServiceAsync(ServiceClusterIPRange serviceRange, CancellationToken cancellationToken)
    {
        const string Name = "kubernetes";
        var settings = options.Value;
        var labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        if (await registry.GetAsync(new ObjectKey(ResourceTypes.Services, "default", Name), cancellationToken) is null)
        {
            var service = new V1Service
            {
                Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = "default", Labels = labels },
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    ClusterIP = serviceRange.KubernetesServiceIP,
                    Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = settings.AdvertisePort }],
                    SessionAffinity = "None",
                },
            };
            await CreateIfAbsentAsync(ResourceTypes.Services, service, cancellationToken);
        }

        if (settings.AdvertiseAddress is not { Length: > 0 } address)
        {
            return;
        }

        var port = settings.AdvertisePort;
        await CreateIfAbsentAsync(ResourceTypes.Endpoints, new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
            Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = address }], Ports = [new Corev1EndpointPort { Name = "https", Port = port, Protocol = "TCP" }] }],
        }, cancellationToken);
        await CreateIfAbsentAsync(ResourceTypes.EndpointSlices, new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = Name } },
            AddressType = "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [address], Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false } }],
            Ports = [new Discoveryv1EndpointPort { Name = "https", Port = port, Protocol = "TCP" }],
        }, cancellationToken);
    }

    private async Task CreateIfAbsentAsync(ResourceType type, k8s.IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(new ObjectKey(type, obj.Metadata.NamespaceProperty, obj.Metadata.Name), cancellationToken) is not null)
        {
            return;
        }

        try
        {
            await registry.CreateAsync(type, obj, cancellationToken: cancellationToken);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            // Another instance made it first.
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
