using System.Globalization;
using k8s.Models;

namespace DurableKube.Domain.Scheduling;

/// <summary>
/// Amounts of the resources the scheduler counts, in its units (the scheduler framework's <c>Resource</c>):
/// CPU in millicores and memory and ephemeral storage in bytes, each a quantity rounded up; extended
/// resources and huge pages (scalar resources) by name.
/// </summary>
/// <param name="MilliCpu">CPU in millicores.</param>
/// <param name="Memory">Memory in bytes.</param>
/// <param name="EphemeralStorage">Ephemeral storage in bytes.</param>
/// <param name="Pods">A count of pods: the <c>pods</c> resource (a node's allowed pod number).</param>
/// <param name="Scalars">Extended resources and huge pages, by resource name.</param>
public sealed record ResourceTotals(long MilliCpu, long Memory, long EphemeralStorage, long Pods, IReadOnlyDictionary<string, long> Scalars)
{
    /// <summary>The <c>cpu</c> resource name.</summary>
    public const string Cpu = "cpu";

    /// <summary>The <c>memory</c> resource name.</summary>
    public const string MemoryName = "memory";

    /// <summary>The <c>ephemeral-storage</c> resource name.</summary>
    public const string EphemeralStorageName = "ephemeral-storage";

    /// <summary>The <c>pods</c> resource name.</summary>
    public const string PodsName = "pods";

    /// <summary>Gets nothing of anything.</summary>
    public static ResourceTotals Zero { get; } = new(0, 0, 0, 0, new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>Reads a resource list (requests, overhead, allocatable).</summary>
    /// <param name="list">The list; <see langword="null"/> reads as nothing.</param>
    /// <returns>The amounts; resources the scheduler does not count are left out.</returns>
    public static ResourceTotals From(IDictionary<string, ResourceQuantity>? list) => Zero.Add(list);

    /// <summary>Whether the scheduler counts a resource of this name as a scalar resource (extended resources and huge pages).</summary>
    /// <param name="name">The resource name.</param>
    /// <returns><see langword="true"/> for e.g. <c>example.com/gpu</c> or <c>hugepages-2Mi</c>.</returns>
    public static bool IsScalar(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith("hugepages-", StringComparison.Ordinal) || name.StartsWith("attachable-volumes-", StringComparison.Ordinal))
        {
            return true;
        }

        // An extended resource: domain-qualified outside kubernetes.io, and not a quota's "requests." form.
        return name.Contains('/', StringComparison.Ordinal)
            && !name.StartsWith("requests.", StringComparison.Ordinal)
            && !name.Split('/')[0].EndsWith("kubernetes.io", StringComparison.Ordinal);
    }

    /// <summary>Adds a resource list to these amounts.</summary>
    /// <param name="list">The list; <see langword="null"/> adds nothing.</param>
    /// <returns>The sum.</returns>
    public ResourceTotals Add(IDictionary<string, ResourceQuantity>? list) => Combine(list, (a, b) => Saturate(a + b));

    /// <summary>Adds other amounts to these.</summary>
    /// <param name="other">The other amounts.</param>
    /// <returns>The sum.</returns>
    public ResourceTotals Add(ResourceTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var scalars = new Dictionary<string, long>(Scalars, StringComparer.Ordinal);
        foreach (var (name, value) in other.Scalars)
        {
            scalars[name] = Saturate((decimal)scalars.GetValueOrDefault(name) + value);
        }

        return new ResourceTotals(
            Saturate((decimal)MilliCpu + other.MilliCpu),
            Saturate((decimal)Memory + other.Memory),
            Saturate((decimal)EphemeralStorage + other.EphemeralStorage),
            Saturate((decimal)Pods + other.Pods),
            scalars);
    }

    /// <summary>Takes, resource by resource, the larger of these amounts and a resource list's.</summary>
    /// <param name="list">The list; <see langword="null"/> changes nothing.</param>
    /// <returns>The maximum.</returns>
    public ResourceTotals Max(IDictionary<string, ResourceQuantity>? list) => Combine(list, (a, b) => Saturate(Math.Max(a, b)));

    /// <summary>Takes, resource by resource, the larger of these amounts and others.</summary>
    /// <param name="other">The other amounts.</param>
    /// <returns>The maximum.</returns>
    public ResourceTotals Max(ResourceTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var scalars = new Dictionary<string, long>(Scalars, StringComparer.Ordinal);
        foreach (var (name, value) in other.Scalars)
        {
            scalars[name] = Math.Max(scalars.GetValueOrDefault(name), value);
        }

        return new ResourceTotals(
            Math.Max(MilliCpu, other.MilliCpu),
            Math.Max(Memory, other.Memory),
            Math.Max(EphemeralStorage, other.EphemeralStorage),
            Math.Max(Pods, other.Pods),
            scalars);
    }

    /// <summary>Gets the amount of a scalar resource, zero if none.</summary>
    /// <param name="name">The resource name.</param>
    /// <returns>The amount.</returns>
    public long Scalar(string name) => Scalars.GetValueOrDefault(name);

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"cpu={MilliCpu}m memory={Memory} ephemeral-storage={EphemeralStorage} pods={Pods}{string.Concat(Scalars.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $" {s.Key}={s.Value}"))}");

    /// <summary>A quantity as the scheduler counts it: millicores for CPU, else the value, both rounded up.</summary>
    private static decimal Units(string name, ResourceQuantity quantity)
    {
        var value = quantity.ToDecimal();
        return decimal.Ceiling(name == Cpu ? value * 1000m : value);
    }

    private static long Saturate(decimal value) => value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private ResourceTotals Combine(IDictionary<string, ResourceQuantity>? list, Func<decimal, decimal, long> combine)
    {
        if (list is null || list.Count == 0)
        {
            return this;
        }

        long milliCpu = MilliCpu, memory = Memory, ephemeral = EphemeralStorage, pods = Pods;
        var scalars = new Dictionary<string, long>(Scalars, StringComparer.Ordinal);
        foreach (var (name, quantity) in list)
        {
            if (quantity is null)
            {
                continue;
            }

            var units = Units(name, quantity);
            switch (name)
            {
                case Cpu:
                    milliCpu = combine(milliCpu, units);
                    break;
                case MemoryName:
                    memory = combine(memory, units);
                    break;
                case EphemeralStorageName:
                    ephemeral = combine(ephemeral, units);
                    break;
                case PodsName:
                    pods = combine(pods, units);
                    break;
                default:
                    if (IsScalar(name))
                    {
                        scalars[name] = combine(scalars.GetValueOrDefault(name), units);
                    }

                    break;
            }
        }

        return new ResourceTotals(milliCpu, memory, ephemeral, pods, scalars);
    }
}
