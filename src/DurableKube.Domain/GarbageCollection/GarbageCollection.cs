using DurableKube.Domain.Deletion;

namespace DurableKube.Domain.GarbageCollection;

/// <summary>
/// The garbage collector's decisions for one owner and the objects that name it in their
/// ownerReferences (pkg/controller/garbagecollector: <c>attemptToDeleteItem</c>, <c>orphanDependents</c>,
/// <c>processDeletingDependentsItem</c>), as a pure function.
/// </summary>
public static class GarbageCollection
{
    /// <summary>Decides what to do for an owner.</summary>
    /// <param name="owner">What is known of the owner.</param>
    /// <param name="dependents">The objects that name it as an owner.</param>
    /// <returns>
    /// The plan. An owner that exists and is not being deleted needs nothing. An owner being deleted with
    /// the <c>orphan</c> finalizer: every dependent loses its reference, then the finalizer goes. With
    /// <c>foregroundDeletion</c>: every dependent not yet being deleted is deleted (in the foreground if it
    /// owns objects itself), and the finalizer goes once no dependent that blocks the owner's deletion is
    /// left. An owner that is gone (Background, or an owner that never existed): a dependent with another
    /// owner still in place only loses the reference; any other is deleted, honouring its own finalizers.
    /// </returns>
    public static CollectionPlan Plan(OwnerState owner, IReadOnlyList<Dependent> dependents)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(dependents);
        if (owner.Exists)
        {
            return owner.Pending switch
            {
                PropagationPolicy.Orphan when owner.Deleting => Orphan(dependents),
                PropagationPolicy.Foreground when owner.Deleting => Foreground(dependents),
                _ => new CollectionPlan([], Done: true),
            };
        }

        var actions = new List<CollectionAction>();
        foreach (var dependent in dependents.Where(d => !d.Deleting))
        {
            actions.Add(dependent.HasSolidOwner ? new OrphanDependent(dependent) : new DeleteDependent(dependent, Policy: null));
        }

        return new CollectionPlan(actions, Done: true);
    }

    private static CollectionPlan Orphan(IReadOnlyList<Dependent> dependents) =>
        new([.. dependents.Select(d => (CollectionAction)new OrphanDependent(d)), new RemoveOwnerFinalizer(DeletionPropagation.OrphanFinalizer)], Done: true);

    private static CollectionPlan Foreground(IReadOnlyList<Dependent> dependents)
    {
        var actions = new List<CollectionAction>();
        foreach (var dependent in dependents.Where(d => !d.Deleting))
        {
            actions.Add(new DeleteDependent(dependent, dependent.HasDependents ? PropagationPolicy.Foreground : null));
        }

        // The owner waits only for the dependents that block its deletion, those being deleted included (the
        // ones deleted just now may go at once, which the next look sees); the others it does not wait for.
        if (dependents.Any(d => d.BlocksOwnerDeletion))
        {
            return new CollectionPlan(actions, Done: false);
        }

        actions.Add(new RemoveOwnerFinalizer(DeletionPropagation.ForegroundFinalizer));
        return new CollectionPlan(actions, Done: true);
    }
}
