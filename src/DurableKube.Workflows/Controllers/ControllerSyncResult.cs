namespace DurableKube.Workflows.Controllers;

/// <summary>What one sync of a controller found and wants next.</summary>
/// <param name="Gone">Whether the object is gone (or replaced by another of the same name): the workflow ends.</param>
/// <param name="RequeueAt">When the controller must look again even if nothing changes (a pod becoming available after minReadySeconds, a failed create to retry, a deadline); <see langword="null"/> for none.</param>
/// <param name="MoreWork">Whether the sync stopped short (more than a burst of pods to create or delete): sync again at once.</param>
/// <param name="Idle">
/// Whether nothing is left to watch until a wake (a node that holds no pods): no periodic resync, the workflow waits for a
/// wake with no timer, and so costs nothing. It does not end: a wake raised at the moment a workflow completes is dropped.
/// </param>
public sealed record ControllerSyncResult(bool Gone, DateTimeOffset? RequeueAt = null, bool MoreWork = false, bool Idle = false)
{
    /// <summary>Gets the result for an object that is gone.</summary>
    public static ControllerSyncResult ObjectGone { get; } = new(true);

    /// <summary>Gets the result for an object with nothing to watch until a wake.</summary>
    public static ControllerSyncResult Idling { get; } = new(false, Idle: true);
}
