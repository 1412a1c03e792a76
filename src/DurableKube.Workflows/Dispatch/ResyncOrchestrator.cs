using Microsoft.DurableTask;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// The dispatcher's resync driven by need, for a host that must run nothing while idle (the Functions app):
/// dispatching a change makes sure this one instance (<see cref="InstanceId"/>) is running; it waits
/// <see cref="ResyncRequest.After"/> on a durable timer, resyncs every handler once (<see cref="ResyncChangesActivity"/>)
/// and ends. So while changes flow a resync runs every interval, the last one an interval after the last change,
/// and then nothing runs until the next change. A change lost between its write and its queue message is found
/// by the resync that the next change (or that write's neighbours) schedules.
/// </summary>
public static class ResyncOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "DispatcherResync";

    /// <summary>The one instance's id.</summary>
    public const string InstanceId = "dispatcher-resync";

    /// <summary>Waits, then resyncs once.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="request">How long to wait.</param>
    /// <returns>How many objects the resync looked at.</returns>
    public static async Task<int> RunAsync(TaskOrchestrationContext context, ResyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        await context.CreateTimer(context.CurrentUtcDateTime + request.After, CancellationToken.None);
        return await context.CallActivityAsync<int>(ResyncChangesActivity.Name, request);
    }
}
