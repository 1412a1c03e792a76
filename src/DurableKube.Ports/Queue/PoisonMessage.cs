namespace DurableKube.Ports.Queue;

/// <summary>A message of the work queue that was set aside on its poison queue, and why.</summary>
/// <param name="MessageId">The queue's id of the message (it keeps no other name).</param>
/// <param name="PoisonQueue">The queue it now waits on for a person to look at.</param>
/// <param name="Change">The change it carries, or <see langword="null"/> for a message that is not a change.</param>
/// <param name="DequeueCount">How many times it was taken off the work queue.</param>
/// <param name="Why">Why it was set aside, in a sentence.</param>
/// <param name="Failure">The last failure of its handling, if it was handled at all.</param>
public sealed record PoisonMessage(string MessageId, string PoisonQueue, ObjectChange? Change, long DequeueCount, string Why, Exception? Failure = null);
