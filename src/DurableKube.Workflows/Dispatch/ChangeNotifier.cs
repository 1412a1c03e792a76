using DurableKube.Ports.Queue;
using DurableKube.Registry;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// The write hook that puts a change on the work queue when, and only when, some handler wants it: a
/// kubelet's own status writes, a controller's own status writes and node heartbeats go nowhere, while a
/// pod's deletion reaches its kubelet and its ReplicaSet alike. A failure to queue is logged by the
/// registry and made up for by the dispatcher's resync.
/// </summary>
public sealed class ChangeNotifier : IWriteHook
{
    private readonly ChangeRouter _router;
    private readonly IWorkQueue _queue;

    /// <summary>Initializes a new instance of the <see cref="ChangeNotifier"/> class.</summary>
    /// <param name="router">Finds who wants a change.</param>
    /// <param name="queue">The work queue.</param>
    public ChangeNotifier(ChangeRouter router, IWorkQueue queue)
    {
        _router = router;
        _queue = queue;
    }

    /// <inheritdoc />
    public async ValueTask AfterWriteAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var type = write.Operation switch
        {
            WriteOperation.Create => ObjectChangeType.Added,
            WriteOperation.Delete => ObjectChangeType.Deleted,
            _ => ObjectChangeType.Modified,
        };
        var change = ObjectChange.Of(write.Kind.Type, type, write.Old, write.Object, write.Subresource);
        if (_router.Targets(change).Count > 0)
        {
            await _queue.EnqueueAsync(change, cancellationToken);
        }
    }
}
