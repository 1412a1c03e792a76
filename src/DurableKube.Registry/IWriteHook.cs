namespace DurableKube.Registry;

/// <summary>
/// The one place later work hooks into every write, whoever makes it (the API, a workflow): admission
/// and managed fields before it, change notification, events and audit after it.
/// </summary>
public interface IWriteHook
{
    /// <summary>
    /// Runs before a write goes to the store, after the kind's strategy has prepared and validated it.
    /// It may change the object, or refuse the write by throwing <see cref="Domain.Strategies.ObjectRejectedException"/>.
    /// It runs again if the write is retried after a conflict.
    /// </summary>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask BeforeWriteAsync(ObjectWrite write, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs once after a write has committed. The write stands whatever happens here: a failure is
    /// logged and never reaches the writer, so a hook that must not lose its work keeps it durable itself
    /// (or relies on a resync, as change notification does).
    /// </summary>
    /// <param name="write">The write, with the object as stored.</param>
    /// <param name="cancellationToken">Cancels the work (not the caller's: the write has committed).</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask AfterWriteAsync(ObjectWrite write, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
