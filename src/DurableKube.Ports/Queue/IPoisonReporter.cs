namespace DurableKube.Ports.Queue;

/// <summary>
/// Reports a work-queue message set aside on the poison queue, so it is not only kept but seen: whoever sets one aside
/// (the local host's dispatcher, the queue adapter for a message that is not a change, the Functions queue trigger on
/// its last try) tells this. Never fails and never waits.
/// </summary>
public interface IPoisonReporter
{
    /// <summary>Reports one message set aside.</summary>
    /// <param name="message">The message and why.</param>
    void Report(PoisonMessage message);
}
