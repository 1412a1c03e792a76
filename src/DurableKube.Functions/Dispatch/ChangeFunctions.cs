using DurableKube.Ports.Queue;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Functions.Dispatch;

/// <summary>
/// The dispatcher: the queue trigger on the change queue and the periodic resync, both handing the
/// work to the shared <see cref="ChangeDispatcher"/> over this invocation's Durable Task client (what
/// <see cref="QueueDispatcherService"/> does in the local host).
/// </summary>
public static class ChangeFunctions
{
    /// <summary>The queue trigger's name.</summary>
    public const string DispatchName = "DispatchChange";

    /// <summary>The resync timer's name.</summary>
    public const string ResyncName = "ResyncChanges";

    /// <summary>
    /// The app setting that names the change queue: the store's <c>Storage:ChangeQueue</c> (default
    /// <c>kube-changes</c>) as an environment variable. It must be set wherever the app runs
    /// (<c>local.settings.json</c>, the app settings in infra/): the trigger cannot start without it.
    /// </summary>
    public const string ChangeQueueSetting = "Storage__ChangeQueue";

    /// <summary>
    /// The trigger's queue name: a binding expression the Functions host resolves from
    /// <see cref="ChangeQueueSetting"/> when it loads the function. It names the setting as it is set
    /// (<c>__</c>, not <c>:</c>): the host's configuration finds it either way, but the scale controller,
    /// which reads app settings by their exact names, finds only this form.
    /// </summary>
    public const string ChangeQueueExpression = "%" + ChangeQueueSetting + "%";

    /// <summary>The connection of the change queue: the host's own storage account, with a connection string
    /// locally or identity-based in Azure (<c>AzureWebJobsStorage__credential</c>, <c>__clientId</c>,
    /// <c>__queueServiceUri</c>, as infra/ sets them).</summary>
    public const string Connection = "AzureWebJobsStorage";

    /// <summary>Every five minutes: the dispatcher's resync interval (<c>Dispatcher:ResyncInterval</c> in the local host).</summary>
    public const string ResyncSchedule = "0 */5 * * * *";

    /// <summary>
    /// Starts or signals the workflow of one changed object. Messages are the base64 JSON of an
    /// <see cref="ObjectChange"/> (the Functions default encoding, and host.json's). A message that keeps
    /// failing goes to <c>&lt;queue&gt;-poison</c> after host.json's maxDequeueCount, as the local host's
    /// dispatcher moves it; the resync makes up for it.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <param name="client">This invocation's Durable Task client.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>A task that completes once the workflow has been started or signalled.</returns>
    [Function(DispatchName)]
    public static Task DispatchAsync(
        [QueueTrigger(ChangeQueueExpression, Connection = Connection)] ObjectChange change,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Dispatcher(client, context).DispatchAsync(change, context.CancellationToken);
    }

    /// <summary>
    /// Makes sure every pod has its workflow and every terminating namespace its own: covers a change
    /// lost between a store write and its queue message, and messages given up as poison.
    /// </summary>
    /// <param name="timer">The timer (unused beyond triggering).</param>
    /// <param name="client">This invocation's Durable Task client.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>A task that completes once every object has been looked at.</returns>
    [Function(ResyncName)]
    public static Task ResyncAsync(
        [TimerTrigger(ResyncSchedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Dispatcher(client, context).ResyncAsync(context.CancellationToken);
    }

    private static ChangeDispatcher Dispatcher(DurableTaskClient client, FunctionContext context) =>
        ActivatorUtilities.CreateInstance<ChangeDispatcher>(context.InstanceServices, new DurableTaskClientWorkflowClient(client));
}
