using Microsoft.DurableTask;

namespace DurableKube.Workflows.Reconcile;

/// <summary>
/// How a reconcile loop retries its activity: within a turn by the Durable Task retry policy, then, once
/// that is spent, on a durable timer after <see cref="FailedWorkDelay"/>. Carried in the loop's input (from
/// the <c>Reconcile</c> configuration section when the workflow starts), so orchestrator code stays
/// deterministic and a deployment can tune it.
/// </summary>
/// <param name="ActivityAttempts">How many times one turn tries the activity.</param>
/// <param name="FirstRetry">The delay before the first retry within a turn; it doubles up to <paramref name="MaxRetry"/>.</param>
/// <param name="MaxRetry">The longest delay between retries within a turn.</param>
/// <param name="FailedWorkDelay">How long the loop waits to plan again once a turn's tries are spent.</param>
public sealed record ReconcileTimings(int ActivityAttempts, TimeSpan FirstRetry, TimeSpan MaxRetry, TimeSpan FailedWorkDelay)
{
    /// <summary>Gets the defaults: four tries over about seven seconds, then a new turn every fifteen seconds, as a kubelet retries a failed sync forever.</summary>
    public static ReconcileTimings Default { get; } = new(4, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));

    /// <summary>Gets the Durable Task options of the activity call.</summary>
    /// <returns>The retry policy as task options.</returns>
    public TaskOptions ToTaskOptions() => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: Math.Max(1, ActivityAttempts),
        firstRetryInterval: FirstRetry > TimeSpan.Zero ? FirstRetry : TimeSpan.FromMilliseconds(1),
        backoffCoefficient: 2,
        maxRetryInterval: MaxRetry > FirstRetry ? MaxRetry : FirstRetry));
}
