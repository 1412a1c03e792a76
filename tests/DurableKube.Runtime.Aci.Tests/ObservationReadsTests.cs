using DurableKube.Testing.Arm;
using Microsoft.Extensions.Time.Testing;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>
/// An observation reads at most <see cref="AciRuntimeOptions.MaxReadsPerObservation"/> groups, those due longest first,
/// so a node of many groups made at once does not empty ARM's read bucket at each step of their back-off.
/// </summary>
public sealed class ObservationReadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static GroupEntry Group(string name, int dueInSeconds) => new($"uid-{name}", name) { DueAt = Now.AddSeconds(dueInSeconds) };

    [Theory]
    // Nothing due, nothing read.
    [InlineData(new[] { 10, 20 }, 5, new string[0])]
    // Due now counts; what is due later waits.
    [InlineData(new[] { 0, 1 }, 5, new[] { "g0" })]
    // All due, under the cap: all, longest due first.
    [InlineData(new[] { -5, -30, -10 }, 5, new[] { "g1", "g2", "g0" })]
    // Over the cap: the longest due, the rest wait for the next observation.
    [InlineData(new[] { -5, -30, -10, -1, -20 }, 2, new[] { "g1", "g4" })]
    // Due at the same moment (made together): by name, so each observation takes the next ones.
    [InlineData(new[] { -1, -1, -1 }, 2, new[] { "g0", "g1" })]
    public void An_observation_reads_the_longest_due_groups_up_to_its_cap(int[] dueInSeconds, int max, string[] read)
    {
        var groups = dueInSeconds.Select((due, i) => Group($"g{i}", due)).ToArray();

        Assert.Equal(read, AciContainerRuntime.DueForRead(groups, Now, max).Select(g => g.Name));
    }

    [Fact]
    public async Task Groups_made_at_once_are_read_over_as_many_observations_as_the_cap_needs_and_each_once()
    {
        var clock = new FakeTimeProvider(Now);
        await using var aci = await AciHarness.StartAsync(runtimeTime: clock, configure: o =>
        {
            o.MaxReadsPerObservation = 5;
            o.ObserveInterval = TimeSpan.FromSeconds(30);
            o.MinReadInterval = TimeSpan.FromMinutes(10);
            o.MaxReadInterval = TimeSpan.FromMinutes(20);
        });
        for (var i = 0; i < 12; i++)
        {
            var uid = $"p{i:00}";
            await aci.CreateReadyAsync(AciHarness.Spec(uid, aci.Launch(uid, "app", 0, ContainerScript.Forever)));
        }

        int GroupReads() => aci.Server.Requests.Count(r => r.IsRead && r.Path.Contains("/containerGroups/", StringComparison.Ordinal));

        // Made just now, each is due; each observation reads five of them, until all twelve were read once.
        var reads = new List<int>();
        for (var observation = 0; observation < 4; observation++)
        {
            var before = GroupReads();
            await aci.Runtime.ListContainersAsync();
            reads.Add(GroupReads() - before);
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal([5, 5, 2, 0], reads);
        Assert.Equal(12, (await aci.Runtime.ListContainersAsync()).Count(r => r.State == Ports.Runtime.ContainerRunState.Running));
    }
}
