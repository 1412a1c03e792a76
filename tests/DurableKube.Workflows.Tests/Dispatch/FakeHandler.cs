using DurableKube.Domain.Resources;
using DurableKube.Ports.Queue;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;

namespace DurableKube.Workflows.Tests.Dispatch;

/// <summary>A handler that only says what it tends and what it wants, and remembers what it was asked.</summary>
/// <param name="name">Its name in assertions.</param>
/// <param name="kind">The kind it tends, if one.</param>
/// <param name="watches">The kinds it watches besides.</param>
/// <param name="wants">What it wants; everything if not given.</param>
internal sealed class FakeHandler(string name, ResourceType? kind, ResourceType[]? watches = null, Func<ObjectChange, bool>? wants = null) : IChangeHandler
{
    public string Name => name;

    public ResourceType? Kind => kind;

    public IReadOnlyList<ResourceType> Watches => watches ?? [];

    public List<ObjectChange> Asked { get; } = [];

    public bool Wants(ObjectChange change)
    {
        Asked.Add(change);
        return wants?.Invoke(change) ?? true;
    }

    public Task HandleAsync(ObjectChange change, IWorkflowClient workflows, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Gets or sets what a resync throws, if it fails.</summary>
    public Exception? ResyncFailure { get; set; }

    /// <summary>Gets how many times it was asked to resync.</summary>
    public int Resyncs { get; private set; }

    public Task<int> ResyncAsync(IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        Resyncs++;
        return ResyncFailure is { } failure ? Task.FromException<int>(failure) : Task.FromResult(0);
    }

    public override string ToString() => name;
}
