using DurableKube.Domain.Strategies;
using k8s;
using k8s.Models;
using DurableKube.Domain.Serialization;

namespace DurableKube.Domain.Deletion;

/// <summary>
/// The API server's graceful deletion (apiserver's <c>rest.BeforeDelete</c> and the generic store's
/// <c>Delete</c>): a graceful type is marked with <c>deletionTimestamp</c> = now + grace and left for
/// whatever finishes it; a second delete may only shorten the grace; objects with finalizers stay
/// until the finalizers are gone.
/// </summary>
public static class GracefulDeletion
{
    /// <summary>Decides what a delete does, marking <paramref name="obj"/> in place when it is to be written.</summary>
    /// <param name="strategy">The type's rules.</param>
    /// <param name="obj">The stored object (a copy the caller may change).</param>
    /// <param name="requestedGracePeriod">The request's <c>gracePeriodSeconds</c>, if any.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The action.</returns>
    public static DeletionAction Plan(ObjectStrategy strategy, IKubernetesObject<V1ObjectMeta> obj, long? requestedGracePeriod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata ??= new V1ObjectMeta();
        if (requestedGracePeriod < 0)
        {
            requestedGracePeriod = 1;
        }

        if (meta.DeletionGracePeriodSeconds < 0)
        {
            meta.DeletionGracePeriodSeconds = 1;
        }

        var finalizers = strategy.HasPendingFinalizers(obj);
        var timestamp = Truncate(now);
        if (meta.DeletionTimestamp is { } existing)
        {
            if (meta.DeletionGracePeriodSeconds is null or 0)
            {
                return finalizers ? DeletionAction.Unchanged : DeletionAction.Remove;
            }

            var current = meta.DeletionGracePeriodSeconds.Value;
            if (requestedGracePeriod is not { } shorter || shorter >= current)
            {
                return DeletionAction.Unchanged;
            }

            meta.DeletionTimestamp = existing.AddSeconds(shorter - current);
            meta.DeletionGracePeriodSeconds = shorter;
            return shorter == 0 && !finalizers ? DeletionAction.UpdateThenRemove : DeletionAction.Update;
        }

        if (strategy.GracefulDeletePeriod(obj, requestedGracePeriod) is not { } period)
        {
            if (!finalizers)
            {
                return DeletionAction.Remove;
            }

            meta.DeletionTimestamp = timestamp;
            meta.DeletionGracePeriodSeconds = 0;
            return DeletionAction.Update;
        }

        meta.DeletionTimestamp = timestamp.AddSeconds(period);
        meta.DeletionGracePeriodSeconds = period;
        if (meta.Generation > 0)
        {
            meta.Generation++;
        }

        return period == 0 && !finalizers ? DeletionAction.UpdateThenRemove : DeletionAction.Update;
    }

    /// <summary>Truncates a time to whole seconds in UTC, as Kubernetes timestamps are.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The UTC time in whole seconds.</returns>
    public static DateTime Truncate(DateTimeOffset time) => KubeTime.Truncate(time);
}
