using DurableKube.Domain.Kinds;
using DurableKube.Ports.Queue;

namespace DurableKube.Workflows.Dispatch;

/// <summary>
/// Which registered handlers a change reaches: the handler of the change's own kind, the handler of the
/// kind of its controller (now, or before the write), and handlers that watch its kind; each only if it
/// wants the change. The write hook asks it whether to queue a change, the dispatcher whom to hand it to.
/// </summary>
public sealed class ChangeRouter
{
    private readonly KindRegistry _kinds;
    private readonly IReadOnlyList<IChangeHandler> _handlers;

    /// <summary>Initializes a new instance of the <see cref="ChangeRouter"/> class.</summary>
    /// <param name="kinds">The served kinds, to resolve an owner's apiVersion and kind.</param>
    /// <param name="handlers">The registered handlers.</param>
    /// <exception cref="ArgumentException">Two handlers claim one kind, or a handler's kind is not served.</exception>
    public ChangeRouter(KindRegistry kinds, IEnumerable<IChangeHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(handlers);
        _kinds = kinds;
        _handlers = [.. handlers];
        foreach (var handler in _handlers)
        {
            foreach (var type in handler.Watches.Append(handler.Kind).OfType<Domain.Resources.ResourceType>())
            {
                if (kinds.Find(type.GroupResource) is null)
                {
                    throw new ArgumentException($"{handler.GetType().Name} handles {type.GroupResource}, which is not a registered kind.", nameof(handlers));
                }
            }
        }

        var claimed = _handlers.Where(h => h.Kind is not null).GroupBy(h => h.Kind!.GroupResource, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (claimed is not null)
        {
            throw new ArgumentException($"Two handlers claim the kind {claimed.Key}: {string.Join(", ", claimed.Select(h => h.GetType().Name))}.", nameof(handlers));
        }
    }

    /// <summary>Gets the registered handlers.</summary>
    public IReadOnlyList<IChangeHandler> Handlers => _handlers;

    /// <summary>Finds the handlers a change reaches.</summary>
    /// <param name="change">The change.</param>
    /// <returns>The handlers that want it, each once.</returns>
    public IReadOnlyList<IChangeHandler> Targets(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var owners = new[] { change.Controller, change.FormerController }
            .OfType<ObjectOwner>()
            .Select(o => _kinds.FindByKind(o.ApiVersion, o.Kind)?.Type.GroupResource)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        return [.. _handlers.Where(h =>
            (h.Kind?.GroupResource == change.Resource
                || (h.Kind is not null && owners.Contains(h.Kind.GroupResource))
                || h.Watches.Any(w => w.GroupResource == change.Resource))
            && h.Wants(change))];
    }
}
