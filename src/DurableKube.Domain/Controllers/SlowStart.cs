namespace DurableKube.Domain.Controllers;

/// <summary>
/// How a controller creates many objects (controller_utils.go, <c>slowStartBatch</c>): in batches of 1, 2, 4,
/// 8, ... so that a template that cannot work fails after one try rather than a thousand.
/// </summary>
public static class SlowStart
{
    /// <summary>The most pods a ReplicaSet creates or deletes in one sync (<c>BurstReplicas</c>).</summary>
    public const int BurstReplicas = 500;

    /// <summary>The first batch's size (<c>SlowStartInitialBatchSize</c>).</summary>
    public const int InitialBatchSize = 1;

    /// <summary>Splits a number of creations into slow-start batches.</summary>
    /// <param name="count">How many to create.</param>
    /// <returns>The batch sizes, in order: 1, 2, 4, ... with the rest in the last.</returns>
    public static IReadOnlyList<int> Batches(int count)
    {
        var batches = new List<int>();
        for (var size = InitialBatchSize; count > 0; size *= 2)
        {
            var batch = Math.Min(size, count);
            batches.Add(batch);
            count -= batch;
        }

        return batches;
    }
}
