namespace DurableKube.Workflows.Controllers;

/// <summary>What one sync of a controller found and wants next.</summary>
/// <param name="Gone">Whether the object is gone (or replaced by another of the same name): the workflow ends.</param>
/// <param name="RequeueAt">When the controller must look again even if nothing changes (a pod becoming available after minReadySeconds, a failed create to retry, a deadline); <see langword="null"/> for none.</param>
/// <param name="MoreWork">Whether the sync stopped short (more than a burst of pods to create or delete): sync again at once.</param>
public sealed record ControllerSyncResult(bool Gone, DateTimeOffset? RequeueAt = null, bool MoreWork = false)
{
    /// <summary>Gets the result for an object that is gone.</summary>
    public static ControllerSyncResult ObjectGone { get; } = new(true);
}
