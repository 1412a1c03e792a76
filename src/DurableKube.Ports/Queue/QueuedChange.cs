namespace DurableKube.Ports.Queue;

/// <summary>A change taken off the queue, with what is needed to complete it.</summary>
/// <param name="Change">The change.</param>
/// <param name="MessageId">The queue's id of the message.</param>
/// <param name="PopReceipt">The receipt that proves this reader holds the message.</param>
/// <param name="DequeueCount">How many times the message has been taken, this time included.</param>
public sealed record QueuedChange(ObjectChange Change, string MessageId, string PopReceipt, long DequeueCount);
