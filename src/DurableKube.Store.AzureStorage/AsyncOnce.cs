namespace DurableKube.Store.AzureStorage;

/// <summary>
/// Runs an asynchronous initialisation (creating a table or queue) once for every caller, however
/// many call at the same time; a failed or cancelled attempt is tried again by the next caller.
/// </summary>
/// <param name="action">The initialisation; it is never given a caller's cancellation token, so one caller giving up does not fail the others.</param>
internal sealed class AsyncOnce(Func<Task> action)
{
    private readonly Lock _gate = new();
    private Task? _task;

    /// <summary>Runs the initialisation if it has not succeeded yet, and waits for it.</summary>
    /// <param name="cancellationToken">Stops waiting (the initialisation itself goes on).</param>
    /// <returns>A task that completes once the initialisation has succeeded.</returns>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            if (_task is null || _task.IsFaulted || _task.IsCanceled)
            {
                _task = Task.Run(action, CancellationToken.None);
            }

            task = _task;
        }

        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }
}
