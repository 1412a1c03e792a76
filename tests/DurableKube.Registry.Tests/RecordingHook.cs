using DurableKube.Domain.Serialization;

namespace DurableKube.Registry.Tests;

/// <summary>A write hook that keeps a copy of every write it sees, and does what a test tells it to before and after.</summary>
internal sealed class RecordingHook : IWriteHook
{
    public List<ObjectWrite> Before { get; } = [];

    public List<ObjectWrite> After { get; } = [];

    /// <summary>Gets or sets what the hook does before a write (it may change the object, or throw to refuse).</summary>
    public Action<ObjectWrite>? OnBefore { get; set; }

    /// <summary>Gets or sets what the hook does after a write.</summary>
    public Action<ObjectWrite>? OnAfter { get; set; }

    public ValueTask BeforeWriteAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        OnBefore?.Invoke(write);
        Before.Add(Copy(write));
        return ValueTask.CompletedTask;
    }

    public ValueTask AfterWriteAsync(ObjectWrite write, CancellationToken cancellationToken)
    {
        After.Add(Copy(write));
        OnAfter?.Invoke(write);
        return ValueTask.CompletedTask;
    }

    // The registry may go on changing the objects it handed over (a retry): keep them as they were.
    private static ObjectWrite Copy(ObjectWrite write) =>
        write with { Old = write.Old is null ? null : KubeJson.Clone(write.Old), Object = KubeJson.Clone(write.Object) };
}
