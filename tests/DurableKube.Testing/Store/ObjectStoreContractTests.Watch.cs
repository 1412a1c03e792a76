using System.Text.RegularExpressions;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using k8s;
using Xunit;
using static DurableKube.Testing.Store.StoreObjects;

namespace DurableKube.Testing.Store;

/// <summary>The watch half of the contract: the change log, its order, its expiry, and concurrent writers.</summary>
public abstract partial class ObjectStoreContractTests
{
    [Fact]
    public async Task Watch_FromAVersion_DeliversExactlyTheLaterChangesOfItsType_InOrder()
    {
        var before = await Store.CreateAsync(Pods, Pod("default", "before"));
        var added = await Store.CreateAsync(Pods, Pod("default", "web"));
        await Store.CreateAsync(Nodes, Node("node-1"));
        var modified = await Store.UpdateAsync(Pods, WithLabel(added, "step", "1"));
        var removed = await Store.DeleteAsync(Key(Pods, "default", "web"));
        await Store.CreateAsync(Namespaces, Namespace("default"));

        // A last change of the type shows that nothing else came in between.
        var sentinel = await Store.CreateAsync(Pods, Pod("other", "sentinel"));
        var events = await CollectAsync(Pods, null, before.Metadata.ResourceVersion, 4);

        Assert.Equal(
            [
                (WatchEventType.Added, "web", added.Metadata.ResourceVersion),
                (WatchEventType.Modified, "web", modified.Metadata.ResourceVersion),
                (WatchEventType.Deleted, "web", removed.Metadata.ResourceVersion),
                (WatchEventType.Added, "sentinel", sentinel.Metadata.ResourceVersion),
            ],
            events.Select(e => (e.Type, e.Object.Metadata.Name, e.ResourceVersion)));
        Assert.All(events, e => Assert.Equal(e.ResourceVersion, e.Object.Metadata.ResourceVersion));
        Assert.Equal("1", events[1].Object.Metadata.Labels["step"]);
    }

    [Fact]
    public async Task Watch_Deletion_CarriesTheObjectAsItWasRemoved()
    {
        var start = await Store.GetResourceVersionAsync();
        var created = await Store.CreateAsync(Pods, Pod("default", "web", ("app", "web")));
        var removed = await Store.DeleteAsync(Key(Pods, "default", "web"));

        var events = await CollectAsync(Pods, "default", start, 2);

        Assert.Equal(WatchEventType.Deleted, events[1].Type);
        Assert.Equal(Json(removed), Json(events[1].Object));
        Assert.Equal(created.Metadata.Uid, events[1].Object.Metadata.Uid);
        Assert.Equal("web", events[1].Object.Metadata.Labels["app"]);
    }

    [Fact]
    public async Task Watch_OfOneNamespace_DeliversOnlyThatNamespace()
    {
        var start = await Store.GetResourceVersionAsync();
        await Store.CreateAsync(Pods, Pod("one", "a"));
        await Store.CreateAsync(Pods, Pod("two", "b"));
        await Store.CreateAsync(Pods, Pod("one-two", "c"));
        await Store.CreateAsync(Pods, Pod("one", "d"));
        await Store.DeleteAsync(Key(Pods, "two", "b"));
        await Store.CreateAsync(Pods, Pod("one", "sentinel"));

        var events = await CollectAsync(Pods, "one", start, 3);

        Assert.Equal(["a", "d", "sentinel"], events.Select(e => e.Object.Metadata.Name));
        Assert.All(events, e => Assert.Equal("one", e.Object.Metadata.NamespaceProperty));
    }

    [Fact]
    public async Task Watch_OfAClusterScopedType_DeliversItsChanges()
    {
        var start = await Store.GetResourceVersionAsync();
        var node = await Store.CreateAsync(Nodes, Node("node-1"));
        await Store.CreateAsync(Pods, Pod("default", "web"));
        var removed = await Store.DeleteAsync(Key(Nodes, null, "node-1"));

        var events = await CollectAsync(Nodes, null, start, 2);

        Assert.Equal([node.Metadata.ResourceVersion, removed.Metadata.ResourceVersion], events.Select(e => e.ResourceVersion));
        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Watch_StartedBeforeTheChanges_DeliversThemAsTheyCommit()
    {
        var start = await Store.GetResourceVersionAsync();
        var watching = CollectAsync(Pods, "default", start, 3);

        // Let the watch find an empty log and wait, so the changes reach a waiting watch.
        await Task.Delay(200);
        var a = await Store.CreateAsync(Pods, Pod("default", "a"));
        var b = await Store.CreateAsync(Pods, Pod("default", "b"));
        var a2 = await Store.UpdateAsync(Pods, WithLabel(a, "x", "y"));
        var events = await watching;

        Assert.Equal([a.Metadata.ResourceVersion, b.Metadata.ResourceVersion, a2.Metadata.ResourceVersion], events.Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task Watch_WhenCancelled_EndsWithoutAnError()
    {
        await Store.CreateAsync(Pods, Pod("default", "a"));
        using var stop = new CancellationTokenSource();
        var delivered = 0;

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var change in Store.WatchAsync(Pods, null, "0", stop.Token))
            {
                // Cancelled a little later, while the watch waits for the next change.
                delivered++;
                stop.CancelAfter(TimeSpan.FromMilliseconds(300));
            }
        });

        Assert.Null(error);
        Assert.Equal(1, delivered);
    }

    [Fact]
    public async Task Watch_FromBeforeACompaction_ThrowsExpired_WithTheKubernetesMessage()
    {
        var first = await Store.CreateAsync(Pods, Pod("default", "a"));
        await Store.CreateAsync(Pods, Pod("default", "b"));
        var newest = await Store.CreateAsync(Pods, Pod("default", "c"));

        await CompactChangeLogAsync();

        var expired = await WatchFailureAsync(Pods, null, first.Metadata.ResourceVersion);
        var fromZero = await WatchFailureAsync(Pods, "default", "0");
        Assert.Equal(StoreErrorKind.Expired, expired.Kind);
        Assert.Equal(StoreErrorKind.Expired, fromZero.Kind);
        var message = TooOld().Match(expired.Message);
        Assert.True(message.Success, $"unexpected message: {expired.Message}");
        Assert.Equal(first.Metadata.ResourceVersion, message.Groups[1].Value);

        // The version in brackets is the oldest one a watch can still start from, and compaction kept the newest change.
        var events = await CollectAsync(Pods, null, message.Groups[2].Value, 1);
        Assert.Equal(newest.Metadata.ResourceVersion, events[0].ResourceVersion);
    }

    [Fact]
    public async Task ConcurrentWriters_AllSucceed_WithDistinctVersions_AndAWatchSeesEachWriteOnceInOrder()
    {
        const int Writers = 8;
        const int WritesEach = 25;
        var shared = await Store.CreateAsync(Pods, Pod("conc", "shared"));

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var versions = new List<string> { (await Store.CreateAsync(Pods, Pod("conc", $"writer-{writer}"))).Metadata.ResourceVersion };
            for (var i = 1; i < WritesEach; i++)
            {
                // Unconditional updates, half of them to one object every writer shares.
                var target = Pod("conc", i % 2 == 0 ? $"writer-{writer}" : "shared", ("step", $"{writer}-{i}"));
                versions.Add((await Store.UpdateAsync(Pods, target)).Metadata.ResourceVersion);
            }

            return versions;
        })).ToList();
        var written = (await Task.WhenAll(writers)).SelectMany(v => v).ToList();

        Assert.Equal(Writers * WritesEach, written.Distinct().Count());
        var events = await CollectAsync(Pods, "conc", shared.Metadata.ResourceVersion, Writers * WritesEach);
        Assert.Equal(written.Select(Rv).Order(), events.Select(e => Rv(e.ResourceVersion)));
        Assert.All(events, e => Assert.Equal(e.ResourceVersion, e.Object.Metadata.ResourceVersion));
        Assert.Equal(written.Max(Rv), Rv(await Store.GetResourceVersionAsync()));
    }

    [GeneratedRegex(@"^too old resource version: (\d+) \((\d+)\)$")]
    private static partial Regex TooOld();

    private async Task<StoreException> WatchFailureAsync(ResourceType type, string? ns, string afterResourceVersion)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        var delivered = new List<ObjectChangeEvent>();
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var change in Store.WatchAsync(type, ns, afterResourceVersion, limit.Token))
            {
                delivered.Add(change);
            }
        });
        Assert.True(error is StoreException, $"The watch from {afterResourceVersion} did not fail but delivered: {Describe(delivered)}");
        Assert.Empty(delivered);
        return (StoreException)error;
    }
}
