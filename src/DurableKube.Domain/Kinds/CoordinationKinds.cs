using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>The kinds of the <c>coordination.k8s.io</c> group this server serves.</summary>
public static class CoordinationKinds
{
    /// <summary>
    /// Gets Leases: stored and served for clients that elect a leader or keep a heartbeat with them (client-go's
    /// <c>leaderelection</c>); DurableKube's own nodes report liveness through their Node status instead.
    /// </summary>
    public static KindDescriptor Leases { get; } = new(new LeaseStrategy())
    {
        Printer = TablePrinter.For<V1Lease>(LeasePrinter.Columns, LeasePrinter.Cells),
        CollectsDependents = false,
    };

    /// <summary>Gets every kind of the group.</summary>
    public static IReadOnlyList<KindDescriptor> All { get; } = [Leases];
}
