using Azure.Storage.Queues.Models;
using DurableKube.Ports.Queue;
using DurableKube.Workflows.Dispatch;
using DurableKube.Workflows.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableKube.Functions.Dispatch;

/// <summary>
/// The dispatcher: the queue trigger on the change queue, handing each change to the shared
/// <see cref="ChangeDispatcher"/> over this invocation's Durable Task client (what
/// <see cref="QueueDispatcherService"/> does in the local host), and scheduling the resync it needs.
/// </summary>
public static class ChangeFunctions
{
    /// <summary>The queue trigger's name.</summary>
    public const string DispatchName = "DispatchChange";

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

    /// <summary>
    /// Starts or signals the workflow of one changed object. Messages are the base64 JSON of an
    /// <see cref="ObjectChange"/> (the Functions default encoding, and host.json's), read here rather than by the binding
    /// so that a message that is not a change is reported like any other poison message. A message that keeps failing
    /// goes to <c>&lt;queue&gt;-poison</c> after host.json's maxDequeueCount (which <c>Dispatcher:MaxDequeueCount</c>
    /// must equal, 5 by default), as the local host's dispatcher moves it; on its last try its failure is reported
    /// (<see cref="IPoisonReporter"/>: a log, a counter, an event on its object) before the host moves it, and the resync
    /// makes up for it. Each change also makes sure a resync is due
    /// (<see cref="ResyncOrchestrator"/>, <c>Dispatcher:ResyncInterval</c> after): resyncs run while changes flow,
    /// never on a fixed schedule, so an idle app runs nothing.
    /// </summary>
    /// <param name="message">The queue message.</param>
    /// <param name="client">This invocation's Durable Task client.</param>
    /// <param name="context">The invocation.</param>
    /// <returns>A task that completes once the workflow has been started or signalled.</returns>
    [Function(DispatchName)]
    public static async Task DispatchAsync(
        [QueueTrigger(ChangeQueueExpression, Connection = Connection)] QueueMessage message,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var services = context.InstanceServices;
        var options = services.GetRequiredService<IOptions<DispatcherOptions>>().Value;
        var lastTry = message.DequeueCount >= options.MaxDequeueCount;
        var poisonQueue = services.GetRequiredService<IWorkQueue>().PoisonQueueName;
        var change = ObjectChange.TryRead(message.Body.ToMemory().Span, out var unreadable);
        if (change is null)
        {
            if (lastTry)
            {
                services.GetService<IPoisonReporter>()?.Report(new PoisonMessage(message.MessageId, poisonQueue, null, message.DequeueCount, "it is not an object change: " + unreadable));
            }

            throw new InvalidOperationException($"Queue message {message.MessageId} is not an object change ({unreadable}).");
        }

        var workflows = new DurableTaskClientWorkflowClient(client);
        try
        {
            await ActivatorUtilities.CreateInstance<ChangeDispatcher>(services, workflows).DispatchAsync(change, context.CancellationToken);
        }
        catch (Exception e) when (lastTry && e is not OperationCanceledException)
        {
            services.GetService<IPoisonReporter>()?.Report(new PoisonMessage(
                message.MessageId, poisonQueue, change, message.DequeueCount, $"its handling failed {message.DequeueCount} times, last with {e.GetType().Name}: {e.Message}", e));
            throw;
        }

        var interval = options.ResyncInterval;
        var resync = new WorkflowStart(
            ResyncOrchestrator.Name, ResyncOrchestrator.InstanceId, () => new ResyncRequest(interval), CompletedNeedsRestart: true, "dispatcher", null, "resync");
        await workflows.EnsureRunningAsync(resync, context.GetLogger(DispatchName), context.CancellationToken);
    }
}
