using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using Xunit;

namespace DurableKube.Testing.Store;

/// <summary>Reads store watches in tests.</summary>
public static class WatchReader
{
    /// <summary>Reads a watch until <paramref name="count"/> changes have come, failing the test if they do not come within <paramref name="limit"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="type">The type.</param>
    /// <param name="ns">The namespace, or null.</param>
    /// <param name="afterResourceVersion">Where the watch starts.</param>
    /// <param name="count">How many changes to wait for.</param>
    /// <param name="limit">How long to wait.</param>
    /// <returns>The changes.</returns>
    public static async Task<IReadOnlyList<ObjectChangeEvent>> CollectAsync(
        IObjectStore store, ResourceType type, string? ns, string afterResourceVersion, int count, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var cancel = new CancellationTokenSource(limit);
        var events = new List<ObjectChangeEvent>();
        try
        {
            await foreach (var change in store.WatchAsync(type, ns, afterResourceVersion, cancel.Token))
            {
                events.Add(change);
                if (events.Count == count)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }

        Assert.True(events.Count == count, $"The watch delivered {events.Count} of {count} changes within {limit}: {Describe(events)}");
        return events;
    }

    /// <summary>Describes changes for a failure message.</summary>
    /// <param name="events">The changes.</param>
    /// <returns>One line per change.</returns>
    public static string Describe(IEnumerable<ObjectChangeEvent> events) =>
        string.Join("; ", events.Select(e => $"{e.Type} {e.Object.Metadata.NamespaceProperty}/{e.Object.Metadata.Name}@{e.ResourceVersion}"));
}
