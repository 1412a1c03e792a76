using DurableKube.Domain.Deletion;
using DurableKube.Domain.GarbageCollection;

namespace DurableKube.Domain.Tests.GarbageCollection;

public sealed class GarbageCollectionTests
{
    private static Dependent Pod(string name, bool blocks = true, bool deleting = false, bool solid = false, bool hasDependents = false) =>
        new("pods", "default", name, "uid-" + name, blocks, deleting, solid, hasDependents);

    private static string Describe(CollectionPlan plan) =>
        string.Join(", ", plan.Actions.Select(a => a switch
        {
            DeleteDependent d => $"delete {d.Dependent.Name}" + (d.Policy is { } p ? $" ({p})" : string.Empty),
            OrphanDependent o => $"orphan {o.Dependent.Name}",
            RemoveOwnerFinalizer f => $"finalize {f.Finalizer}",
            _ => "?",
        })) + (plan.Done ? "; done" : "; wait");

    [Fact]
    public void An_owner_that_exists_and_is_not_being_deleted_needs_nothing()
    {
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(new OwnerState(true), [Pod("a"), Pod("b")]);

        Assert.Equal("; done", Describe(plan));
    }

    [Fact]
    public void An_owner_being_deleted_without_a_propagation_finalizer_is_left_to_its_removal()
    {
        // A graceful delete in progress (a pod owner), or other finalizers: the dependents go once it is removed.
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(new OwnerState(true, Deleting: true), [Pod("a")]);

        Assert.Equal("; done", Describe(plan));
    }

    [Fact]
    public void Orphan_takes_the_owner_off_every_dependent_then_its_finalizer()
    {
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(
            new OwnerState(true, Deleting: true, Pending: PropagationPolicy.Orphan), [Pod("a"), Pod("b", deleting: true)]);

        Assert.Equal("orphan a, orphan b, finalize orphan; done", Describe(plan));
    }

    [Theory]
    [InlineData(false, "delete a, delete b; wait")]
    [InlineData(true, "delete a (Foreground), delete b (Foreground); wait")]
    public void Foreground_deletes_the_dependents_not_yet_going_and_waits_for_those_that_block(bool nested, string expected)
    {
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(
            new OwnerState(true, Deleting: true, Pending: PropagationPolicy.Foreground),
            [Pod("a", hasDependents: nested), Pod("b", hasDependents: nested), Pod("c", deleting: true)]);

        Assert.Equal(expected, Describe(plan));
    }

    [Fact]
    public void Foreground_removes_its_finalizer_once_no_blocking_dependent_is_left()
    {
        var none = Domain.GarbageCollection.GarbageCollection.Plan(new OwnerState(true, Deleting: true, Pending: PropagationPolicy.Foreground), []);
        var onlyNonBlocking = Domain.GarbageCollection.GarbageCollection.Plan(
            new OwnerState(true, Deleting: true, Pending: PropagationPolicy.Foreground), [Pod("free", blocks: false)]);

        Assert.Equal("finalize foregroundDeletion; done", Describe(none));
        Assert.Equal("delete free, finalize foregroundDeletion; done", Describe(onlyNonBlocking));
    }

    [Fact]
    public void A_blocking_dependent_still_terminating_keeps_a_foreground_owner_waiting()
    {
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(
            new OwnerState(true, Deleting: true, Pending: PropagationPolicy.Foreground), [Pod("slow", deleting: true)]);

        Assert.Equal("; wait", Describe(plan));
    }

    [Fact]
    public void When_the_owner_is_gone_its_dependents_are_deleted_unless_another_owner_holds_them()
    {
        var plan = Domain.GarbageCollection.GarbageCollection.Plan(
            OwnerState.Gone, [Pod("alone"), Pod("shared", solid: true), Pod("going", deleting: true)]);

        Assert.Equal("delete alone, orphan shared; done", Describe(plan));
    }
}
