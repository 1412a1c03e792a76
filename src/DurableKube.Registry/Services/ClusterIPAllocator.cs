using System.Net;
using DurableKube.Domain.Networking;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Domain.Services;
using DurableKube.Domain.Strategies;
using DurableKube.Domain.Validation;
using DurableKube.Ports.Store;
using k8s.Models;

namespace DurableKube.Registry.Services;

/// <summary>
/// Gives Services their ClusterIP in the write path (the apiserver's ClusterIP allocator in its
/// MultiCIDRServiceAllocator form): each address is one <c>networking.k8s.io/v1</c> IPAddress named by it,
/// created with create-if-absent semantics, so two Services never get one address however many writers race.
/// A requested address is honoured or refused with Kubernetes' words; the address is released when the Service is
/// removed or turns into an ExternalName Service.
/// </summary>
/// <remarks>
/// An IPAddress whose Service never got stored (a refused or dry-run create) is reclaimed when its address is
/// asked for again or the range runs out, once it is older than <see cref="ReclaimAfter"/>, as the apiserver's repair loop does.
/// </remarks>
public sealed class ClusterIPAllocator : IWriteHook
{
    /// <summary>How old an IPAddress whose Service does not hold it must be before it is taken back.</summary>
    public static readonly TimeSpan ReclaimAfter = TimeSpan.FromSeconds(30);

    private const int Attempts = 16;
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="ClusterIPAllocator"/> class.</summary>
    /// <param name="range">The service range (<c>--service-cluster-ip-range</c>).</param>
    /// <param name="store">The store the IPAddresses live in.</param>
    /// <param name="time">The clock.</param>
    public ClusterIPAllocator(ServiceClusterIPRange range, IObjectStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(range);
        Range = range.Cidr;
        _store = store;
        _time = time;
    }

    /// <summary>Gets the range addresses come from.</summary>
    public Ipv4Cidr Range { get; }

    /// <inheritdoc />
    public async ValueTask BeforeWriteAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write.Kind.Type != ResourceTypes.Services || write.Operation == WriteOperation.Delete || write.Object is not V1Service service)
        {
            return;
        }

        if (!ServiceTypes.NeedsClusterIP(service))
        {
            return;
        }

        var old = write.Old as V1Service;
        if (old is not null && ServiceTypes.AllocatedIP(old) is { } kept && kept == service.Spec.ClusterIP)
        {
            return;
        }

        var ip = string.IsNullOrEmpty(service.Spec.ClusterIP)
            ? await AllocateAnyAsync(service, cancellationToken)
            : await AllocateRequestedAsync(service, service.Spec.ClusterIP, cancellationToken);
        service.Spec.ClusterIP = ip;
        service.Spec.ClusterIPs = [ip];
        service.Spec.IpFamilies = ["IPv4"];
        service.Spec.IpFamilyPolicy ??= "SingleStack";
    }

    /// <inheritdoc />
    public async ValueTask AfterWriteAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write.Kind.Type != ResourceTypes.Services)
        {
            return;
        }

        var released = write.Operation switch
        {
            WriteOperation.Delete => ServiceTypes.AllocatedIP((V1Service)write.Object),
            WriteOperation.Update when write.Old is V1Service old && ServiceTypes.AllocatedIP(old) is { } before
                && before != ServiceTypes.AllocatedIP((V1Service)write.Object) => before,
            _ => null,
        };
        if (released is not null)
        {
            await ReleaseAsync(released, write.Object.Metadata, cancellationToken);
        }
    }

    /// <summary>Releases an address if the IPAddress still names this Service.</summary>
    /// <param name="ip">The address.</param>
    /// <param name="service">The Service's metadata.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes once released.</returns>
    public async Task ReleaseAsync(string ip, V1ObjectMeta service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var key = new ObjectKey(ResourceTypes.IPAddresses, null, ip);
        if (await _store.GetAsync(key, cancellationToken) is V1IPAddress address
            && address.Spec?.ParentRef?.Name == service.Name && address.Spec.ParentRef.NamespaceProperty == service.NamespaceProperty)
        {
            try
            {
                await _store.DeleteAsync(key, new Preconditions(Uid: address.Metadata.Uid), cancellationToken);
            }
            catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
            {
                // Gone already, or taken again by another Service.
            }
        }
    }

    private async Task<string> AllocateRequestedAsync(V1Service service, string requested, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(requested, out var address) || !Range.Contains(address) || IsReserved(address))
        {
            throw Refused(service, requested, $"the provided IP ({requested}) is not in the valid range. The range of valid IPs is {Range}");
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await TryReserveAsync(service, requested, cancellationToken))
            {
                return requested;
            }

            if (!await TryReclaimAsync(requested, cancellationToken))
            {
                break;
            }
        }

        throw Refused(service, requested, "provided IP is already allocated");
    }

    private async Task<string> AllocateAnyAsync(V1Service service, CancellationToken cancellationToken)
    {
        var existing = await _store.ListAsync(ResourceTypes.IPAddresses, null, ListQuery.All, cancellationToken);
        var taken = existing.Items.Select(i => i.Metadata.Name).Where(n => n is not null).ToHashSet(StringComparer.Ordinal);
        var reclaimed = false;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            // Start at a random place, as the apiserver does, so racing writers seldom want the same address.
            var candidate = Range.FirstFree(taken, Random.Shared.NextInt64(1, Math.Max(2, Range.Size - 1)));
            if (candidate is null)
            {
                if (reclaimed)
                {
                    break;
                }

                reclaimed = true;
                foreach (var name in taken.ToList())
                {
                    if (await TryReclaimAsync(name, cancellationToken))
                    {
                        taken.Remove(name);
                    }
                }

                continue;
            }

            var ip = candidate.ToString();
            if (await TryReserveAsync(service, ip, cancellationToken))
            {
                return ip;
            }

            taken.Add(ip);
        }

        throw new ObjectRejectedException(
            RejectionReason.Forbidden, ResourceTypes.Services, service.Metadata.Name ?? string.Empty,
            $"failed to allocate a serviceIP: range is full (the service range {Range}, Services__ClusterIPRange)");
    }

    private bool IsReserved(IPAddress address)
    {
        var offset = Range.OffsetOf(address);
        return Range.Size > 2 && (offset == 0 || offset == Range.Size - 1);
    }

    private async Task<bool> TryReserveAsync(V1Service service, string ip, CancellationToken cancellationToken)
    {
        var address = new V1IPAddress
        {
            ApiVersion = ResourceTypes.IPAddresses.ApiVersion,
            Kind = ResourceTypes.IPAddresses.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = ip,
                Uid = Guid.NewGuid().ToString(),
                CreationTimestamp = KubeTime.Truncate(_time.GetUtcNow()),
                Labels = new Dictionary<string, string>
                {
                    ["ipaddress.kubernetes.io/ip-family"] = "IPv4",
                    ["ipaddress.kubernetes.io/managed-by"] = "ipallocator.k8s.io",
                },
            },
            Spec = new V1IPAddressSpec
            {
                ParentRef = new V1ParentReference
                {
                    Group = string.Empty,
                    Resource = "services",
                    NamespaceProperty = service.Metadata.NamespaceProperty,
                    Name = service.Metadata.Name,
                },
            },
        };
        try
        {
            await _store.CreateAsync(ResourceTypes.IPAddresses, address, cancellationToken);
            return true;
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.AlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Takes back an address whose IPAddress no stored Service holds, once it is old enough.</summary>
    private async Task<bool> TryReclaimAsync(string ip, CancellationToken cancellationToken)
    {
        var key = new ObjectKey(ResourceTypes.IPAddresses, null, ip);
        if (await _store.GetAsync(key, cancellationToken) is not V1IPAddress address)
        {
            return true;
        }

        if (address.Metadata.CreationTimestamp is { } created && _time.GetUtcNow() - created < ReclaimAfter)
        {
            return false;
        }

        var parent = address.Spec?.ParentRef;
        if (parent is { Resource: "services" } && !string.IsNullOrEmpty(parent.Name)
            && await _store.GetAsync(new ObjectKey(ResourceTypes.Services, parent.NamespaceProperty, parent.Name), cancellationToken) is V1Service holder
            && ServiceTypes.AllocatedIP(holder) == ip)
        {
            return false;
        }

        if (parent is not { Resource: "services" })
        {
            // Reserved by hand (or by something else): never taken back.
            return false;
        }

        try
        {
            await _store.DeleteAsync(key, new Preconditions(Uid: address.Metadata.Uid), cancellationToken);
        }
        catch (StoreException e) when (e.Kind is StoreErrorKind.NotFound or StoreErrorKind.Conflict)
        {
            // Someone else took it back or took it.
        }

        return true;
    }

    private static ObjectRejectedException Refused(V1Service service, string ip, string why) =>
        ObjectRejectedException.Invalid(
            ResourceTypes.Services,
            service.Metadata.Name ?? string.Empty,
            [FieldError.Invalid("spec.clusterIPs", new[] { ip }, $"failed to allocate IP {ip}: {why}")]);
}
