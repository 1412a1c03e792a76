using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// What a workflow kind does with object changes (an informer's event handler): it is registered for
/// the kind whose objects it tends, and the <see cref="ChangeRouter"/> brings it the changes of that kind,
/// of the objects that kind controls (the change's controller ownerReference, now or before the write,
/// deletions included), and of the kinds it watches besides. <see cref="Wants"/> is asked twice, with the
/// same answer: when the write commits (a change no handler wants never goes on the queue) and when the
/// change is dispatched.
/// </summary>
public interface IChangeHandler
{
    /// <summary>Gets the kind whose objects this handler runs workflows for, or <see langword="null"/> for a handler that tends no one kind (the garbage collector).</summary>
    ResourceType? Kind { get; }

    /// <summary>Gets other kinds whose changes it needs to see, e.g. a ReplicaSet's candidates for adoption (pods with no controller).</summary>
    IReadOnlyList<ResourceType> Watches { get; }

    /// <summary>Decides, from the change alone, whether this handler must act on it.</summary>
    /// <param name="change">A change of its kind, of an object its kind controls (or controlled), or of a kind it watches.</param>
    /// <returns>Whether to hand it over.</returns>
    bool Wants(ObjectChange change);

    /// <summary>Acts on a change: starts, restarts or signals the workflow it concerns. Idempotent: a change may come twice, late or out of order.</summary>
    /// <param name="change">The change.</param>
    /// <param name="workflows">The workflow client of this dispatch (the Functions host has one per invocation).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the workflow has been started or signalled.</returns>
    Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure every object of its kind that needs a workflow has a running one (started, or started again
    /// if it failed or was terminated): covers a change lost between a write and its queue message.
    /// </summary>
    /// <param name="workflows">The workflow client of this resync.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many objects were looked at.</returns>
    Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken);
}
