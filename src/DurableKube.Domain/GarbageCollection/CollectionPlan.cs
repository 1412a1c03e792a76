namespace DurableKube.Domain.GarbageCollection;

/// <summary>What the garbage collector does for one owner now, and whether it is done with it.</summary>
/// <param name="Actions">The actions, in order.</param>
/// <param name="Done">Whether the owner needs nothing more (otherwise look again once dependents have gone).</param>
public sealed record CollectionPlan(IReadOnlyList<CollectionAction> Actions, bool Done);
