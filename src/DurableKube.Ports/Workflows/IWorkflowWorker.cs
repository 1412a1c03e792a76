namespace DurableKube.Ports.Workflows;

/// <summary>
/// The host's workflow worker, the part of the backend that runs orchestrations and activities, as far as a host can
/// act on it. The local host runs its own Durable Task worker and can start it afresh; the Functions host's worker
/// belongs to the Durable extension and cannot be restarted from the app.
/// </summary>
public interface IWorkflowWorker
{
    /// <summary>
    /// Starts the worker afresh, for when it holds an instance it no longer processes (a termination sent to it did not
    /// take): what the backend keeps in memory (sessions, messages in hand) is dropped and its partitions taken again,
    /// so every instance's messages are read again from storage. Work items in flight go back to their queues and run
    /// again (activities are idempotent); durable state is untouched.
    /// </summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="cancellationToken">Cancels the wait for the restart.</param>
    /// <returns><see langword="true"/> if the worker was restarted; <see langword="false"/> if this host cannot restart it
    /// (it then says so in its log) or is stopping.</returns>
    Task<bool> RestartAsync(string reason, CancellationToken cancellationToken = default);
}
