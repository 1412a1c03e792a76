using Microsoft.DurableTask;

namespace DurableKube.Workflows.Namespaces;

/// <summary>
/// The namespace controller's work for one namespace being deleted: delete what it holds (pods
/// gracefully, through their kubelets), wait until nothing is left, then remove the namespace.
/// </summary>
public static class NamespaceTerminationOrchestrator
{
    /// <summary>The orchestration's name.</summary>
    public const string Name = "NamespaceTermination";

    /// <summary>How long to wait between looks at what is left.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Rounds before continuing as new, to keep the history bounded while pods take their time.</summary>
    public const int RoundsPerExecution = 100;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>Empties and removes the namespace.</summary>
    /// <param name="context">The orchestration context.</param>
    /// <param name="ns">The namespace.</param>
    /// <returns>The namespace's name once removed.</returns>
    public static async Task<string?> RunAsync(TaskOrchestrationContext context, NamespaceRef ns)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ns);
        for (var round = 0; round < RoundsPerExecution; round++)
        {
            var remaining = await context.CallActivityAsync<int>(NamespaceActivities.EmptyName, ns, Retry);
            if (remaining == 0)
            {
                await context.CallActivityAsync<bool>(NamespaceActivities.RemoveName, ns, Retry);
                return ns.Name;
            }

            await context.CreateTimer(PollInterval, CancellationToken.None);
        }

        context.ContinueAsNew(ns);
        return null;
    }
}
