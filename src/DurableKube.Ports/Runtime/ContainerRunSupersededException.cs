namespace DurableKube.Ports.Runtime;

/// <summary>
/// A start of a container run whose container already has a later run. Attempts only grow, so such a start can only be an
/// earlier sync redelivered after a crash (an activity is run at least once), and the runtime refuses it instead of
/// running the container once more: a run counted twice, or an old run started again after the node removed it.
/// </summary>
public sealed class ContainerRunSupersededException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ContainerRunSupersededException"/> class.</summary>
    /// <param name="id">The run asked for.</param>
    /// <param name="latestAttempt">The container's latest attempt on the node.</param>
    public ContainerRunSupersededException(ContainerRunId id, int latestAttempt)
        : base($"Run {id} is superseded: its container already has run attempt {latestAttempt}.")
    {
        Id = id;
        LatestAttempt = latestAttempt;
    }

    /// <summary>Gets the run asked for.</summary>
    public ContainerRunId Id { get; }

    /// <summary>Gets the container's latest attempt on the node.</summary>
    public int LatestAttempt { get; }
}
