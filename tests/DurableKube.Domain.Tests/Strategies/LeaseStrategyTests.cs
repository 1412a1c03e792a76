using DurableKube.Domain.Printing;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Strategies;

public sealed class LeaseStrategyTests
{
    private static V1Lease Lease(int? duration = 15, int? transitions = 0, string? strategy = null, string? preferred = null) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = "leader", NamespaceProperty = "default" },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = "pod-a",
            LeaseDurationSeconds = duration,
            LeaseTransitions = transitions,
            Strategy = strategy,
            PreferredHolder = preferred,
        },
    };

    [Theory]
    [InlineData(15, 0, null)]
    [InlineData(null, null, null)]
    [InlineData(0, 0, "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")]
    [InlineData(-5, 0, "spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0")]
    [InlineData(15, -1, "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0")]
    public void A_lease_is_checked_as_ValidateLeaseSpec_does(int? duration, int? transitions, string? error)
    {
        var errors = new LeaseStrategy().Validate(Lease(duration, transitions)).Select(e => e.ToString()).ToList();

        Assert.Equal(error is null ? [] : [error], errors);
    }

    [Fact]
    public void The_fields_of_coordinated_leader_election_are_dropped_as_for_a_disabled_gate_unless_already_stored()
    {
        var strategy = new LeaseStrategy();
        var created = Lease(strategy: "OldestEmulationVersion", preferred: "pod-b");
        strategy.PrepareForCreate(created);
        var stored = Lease(strategy: "OldestEmulationVersion", preferred: "pod-b");
        var updated = Lease(strategy: "OldestEmulationVersion", preferred: "pod-c");
        strategy.PrepareForUpdate(updated, stored);

        Assert.Null(created.Spec.Strategy);
        Assert.Null(created.Spec.PreferredHolder);
        Assert.Equal("pod-c", updated.Spec.PreferredHolder);
        Assert.Null(created.Metadata.Generation);
    }

    [Fact]
    public void Kubectl_shows_the_holder()
    {
        var lease = Lease();
        lease.Metadata.CreationTimestamp = new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc);

        var cells = LeasePrinter.Cells(lease, new DateTimeOffset(2026, 12, 3, 10, 5, 0, TimeSpan.Zero));

        Assert.Equal(["NAME", "HOLDER", "AGE"], LeasePrinter.Columns.Select(c => c.Name.ToUpperInvariant()));
        Assert.Equal(["leader", "pod-a", "5m"], cells.Select(c => c.ToString()));
    }
}
