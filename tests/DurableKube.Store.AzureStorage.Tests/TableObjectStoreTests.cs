using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Store.AzureStorage.Tables;
using DurableKube.Testing.Azurite;
using Microsoft.Extensions.Time.Testing;
using ResourceType = DurableKube.Domain.Resources.ResourceType;
using static DurableKube.Store.AzureStorage.Tests.TestObjects;
using static DurableKube.Testing.Store.StoreObjects;

namespace DurableKube.Store.AzureStorage.Tests;

/// <summary>What the Table store does beyond the contract: its rows, restarts, several processes, lost responses, compaction.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableObjectStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly ResourceType Pods = ResourceTypes.Pods;
    private static readonly ResourceType Nodes = ResourceTypes.Nodes;

    private readonly AzureStoreHarness _harness = new(azurite);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DeleteAsync();

    [Fact]
    public async Task LargeObject_IsSplitIntoChunksOfAtMost64KiB_InItsRowAndItsChangeLogEntry()
    {
        var store = _harness.CreateStore();
        var created = await store.CreateAsync(Pods, Pod("default", "big", annotationBytes: 600 * 1024));

        var objectRow = (await _harness.Table.GetEntityAsync<TableEntity>(TableKeys.Partition, TableKeys.ObjectRow(new ObjectKey(Pods, "default", "big")))).Value;
        var logRow = (await _harness.Table.GetEntityAsync<TableEntity>(TableKeys.Partition, TableKeys.LogRow(Rv(created)))).Value;

        foreach (var row in new[] { objectRow, logRow })
        {
            var chunks = row.GetInt32(ObjectPayload.ChunkCountProperty)!.Value;
            Assert.Equal(10, chunks);
            var sizes = Enumerable.Range(0, chunks).Select(i => row.GetBinary(ObjectPayload.ChunkProperty(i))!.Length).ToList();
            Assert.All(sizes, size => Assert.InRange(size, 1, 64 * 1024));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(Json(created)), sizes.Sum());
        }

        var watched = await CollectAsync(store, Pods, "default", "0", 1);
        Assert.Equal(Json(created), Json(watched[0].Object));
    }

    [Fact]
    public async Task ObjectOfExactlyTheLimit_Fits_AndOneByteMore_IsTooLarge()
    {
        var store = _harness.CreateStore();
        var probe = Pod("default", "edge", annotationBytes: 1);
        var overhead = System.Text.Encoding.UTF8.GetByteCount(Json(WithVersion(probe, long.MaxValue))) - 1;

        var fits = await store.CreateAsync(Pods, Pod("default", "edge", annotationBytes: ObjectPayload.MaxBytes - overhead));
        var error = await Assert.ThrowsAsync<StoreException>(() => store.CreateAsync(Pods, Pod("default", "over", annotationBytes: ObjectPayload.MaxBytes - overhead + 1)));

        Assert.Equal(Json(fits), Json(await store.GetAsync(new ObjectKey(Pods, "default", "edge"))));
        Assert.Equal(StoreErrorKind.TooLarge, error.Kind);
        Assert.Contains($"the limit is {ObjectPayload.MaxBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewStoreOverTheSameTable_ContinuesWhereTheOldOneLeftOff()
    {
        var before = _harness.CreateStore();
        var a = await before.CreateAsync(Pods, Pod("default", "a"));
        var node = await before.CreateAsync(Nodes, Node("node-1"));

        var after = _harness.CreateStore();
        var read = await after.GetAsync(new ObjectKey(Pods, "default", "a"));
        var version = await after.GetResourceVersionAsync();
        var b = await after.CreateAsync(Pods, Pod("default", "b"));
        var a2 = await after.UpdateAsync(Pods, WithLabel(a, "step", "2"));

        // The first store's view of the counter is stale now; its next write must still be numbered after everything.
        var c = await before.CreateAsync(Pods, Pod("default", "c"));

        Assert.Equal(Json(a), Json(read));
        Assert.Equal(node.Metadata.ResourceVersion, version);
        Assert.Equal(Rv(node) + 1, Rv(b));
        Assert.Equal(Rv(b) + 1, Rv(a2));
        Assert.Equal(Rv(a2) + 1, Rv(c));
        var events = await CollectAsync(after, Pods, null, "0", 4);
        Assert.Equal(["a", "b", "a", "c"], events.Select(e => e.Object.Metadata.Name));
        Assert.Equal(["a", "b", "c"], (await after.ListAsync(Pods, "default", ListQuery.All)).Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task TwoStoresOverOneTable_ContendForTheCounter_AndEveryWriteCommitsOnce_Densely()
    {
        // Two stores stand for two processes: they share nothing but the table.
        var stores = new[] { _harness.CreateStore(), _harness.CreateStore() };
        const int TasksPerStore = 4;
        const int WritesPerTask = 15;

        var writers = stores.SelectMany((store, s) => Enumerable.Range(0, TasksPerStore).Select(t => Task.Run(async () =>
        {
            var name = $"writer-{s}-{t}";
            var versions = new List<long> { Rv(await store.CreateAsync(Pods, Pod("default", name))) };
            for (var i = 1; i < WritesPerTask; i++)
            {
                // Every third write to the writer's own pod, the others to two pods all writers share.
                var target = i % 3 == 0 ? Pod("default", name) : Pod("default", "shared-" + (i % 2));
                versions.Add(Rv(await CreateOrUpdateAsync(store, target)));
            }

            return versions;
        }))).ToList();
        var written = (await Task.WhenAll(writers)).SelectMany(v => v).Order().ToList();

        var total = stores.Length * TasksPerStore * WritesPerTask;
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), written);
        var events = await CollectAsync(stores[1], Pods, null, "0", total);
        Assert.Equal(written, events.Select(e => Rv(e.ResourceVersion)));
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), await stores[0].GetResourceVersionAsync());
    }

    [Fact]
    public async Task UpdateOfAVersionThisStoreReadOrWrote_IsConditionedOnTheRowsETag_WithoutReadingTheRowAgain()
    {
        var requests = new CountRequests();
        var store = _harness.CreateStore(table: _harness.NewTableClient(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall)));
        var created = await store.CreateAsync(Pods, Pod("default", "a"));
        var read = (await store.GetAsync(new ObjectKey(Pods, "default", "a")))!;

        requests.Reset();
        var updated = await store.UpdateAsync(Pods, WithLabel(read, "step", "1"));
        var again = await store.UpdateAsync(Pods, WithLabel(updated, "step", "2"));

        Assert.Equal(Rv(created) + 2, Rv(again));
        Assert.Equal(["POST", "POST"], requests.Methods);
        Assert.Equal("2", (await store.GetAsync(new ObjectKey(Pods, "default", "a")))!.Metadata.Labels["step"]);
    }

    [Fact]
    public async Task UpdateOfAVersionThisStoreKnows_ThatAnotherStoreChangedOrRemoved_IsStillAConflictOrNotFound()
    {
        var stale = _harness.CreateStore();
        var other = _harness.CreateStore();
        var a = await stale.CreateAsync(Pods, Pod("default", "a"));
        var b = await stale.CreateAsync(Pods, Pod("default", "b"));
        await other.UpdateAsync(Pods, WithLabel(a, "by", "other"));
        await other.DeleteAsync(new ObjectKey(Pods, "default", "b"));

        var changed = await Assert.ThrowsAsync<StoreException>(() => stale.UpdateAsync(Pods, WithLabel(a, "by", "stale")));
        var removed = await Assert.ThrowsAsync<StoreException>(() => stale.UpdateAsync(Pods, WithLabel(b, "by", "stale")));

        Assert.Equal(StoreErrorKind.Conflict, changed.Kind);
        Assert.Equal(StoreErrorKind.NotFound, removed.Kind);
        Assert.Equal("other", (await stale.GetAsync(new ObjectKey(Pods, "default", "a")))!.Metadata.Labels["by"]);
    }

    [Fact]
    public async Task WatchesOfOneStore_ReadEachStretchOfTheChangeLog_OnceBetweenThem_AndAWatchFromBeforeItReadsTheLogItself()
    {
        var requests = new CountRequests();
        var store = _harness.CreateStore(table: _harness.NewTableClient(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall)));
        var start = await store.GetResourceVersionAsync();
        const int EachKind = 10;
        var inDefault = Enumerable.Range(0, 6).Select(_ => CollectAsync(store, Pods, "default", start, EachKind)).ToList();
        var allPods = Enumerable.Range(0, 2).Select(_ => CollectAsync(store, Pods, null, start, 2 * EachKind)).ToList();
        var nodes = CollectAsync(store, Nodes, null, start, EachKind);

        // One write at a time: each its own commit, each waking all nine watches.
        var written = new List<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>>();
        for (var i = 0; i < EachKind; i++)
        {
            written.Add(await store.CreateAsync(Pods, Pod("default", $"d{i}")));
            written.Add(await store.CreateAsync(Pods, Pod("other", $"o{i}")));
            written.Add(await store.CreateAsync(Nodes, Node($"n{i}")));
        }

        static IEnumerable<string> Names(IEnumerable<ObjectChangeEvent> events) => events.Select(e => e.Object.Metadata.Name);
        var podNames = written.Where(o => o is k8s.Models.V1Pod).Select(o => o.Metadata.Name).ToList();
        foreach (var watch in inDefault)
        {
            Assert.Equal(podNames.Where(n => n.StartsWith('d')), Names(await watch));
        }

        foreach (var watch in allPods)
        {
            Assert.Equal(podNames, Names(await watch));
        }

        Assert.Equal(written.Where(o => o is k8s.Models.V1Node).Select(o => o.Metadata.Name), Names(await nodes));
        Assert.Equal(written.Select(o => Rv(o)), (await allPods[0]).Concat(await nodes).Select(e => long.Parse(e.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).Order());

        // Nine watches each querying the log on each of 30 commits would be up to 270 queries; sharing, about one a commit.
        Assert.InRange(requests.Queries, 1, 3 * EachKind + 9);

        // A watch from before the window (here: from the start, in a store whose window begins later) reads the log itself.
        var late = _harness.CreateStore();
        var lateWatch = CollectAsync(late, Pods, "default", Rv(written[^1]).ToString(System.Globalization.CultureInfo.InvariantCulture), 1);
        var next = await late.CreateAsync(Pods, Pod("default", "next"));
        Assert.Equal(next.Metadata.ResourceVersion, (await lateWatch).Single().ResourceVersion);
        Assert.Equal([.. podNames.Where(n => n.StartsWith('d')), "next"], Names(await CollectAsync(late, Pods, "default", start, EachKind + 1)));
    }

    [Fact]
    public async Task WholeList_UnchangedSinceItsLastRead_IsAnsweredFromMemory_AndAnyWriteOfItsKindAndNamespaceReadsItAgain()
    {
        var requests = new CountRequests();
        var store = _harness.CreateStore(table: _harness.NewTableClient(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall)));
        var other = _harness.CreateStore();
        await store.CreateAsync(Pods, WithLabel(Pod("default", "a"), "app", "web"));
        await store.CreateAsync(Pods, Pod("default", "b"));
        var first = await store.ListAsync(Pods, "default", ListQuery.All);

        // Writes of other kinds and namespaces, by this store and by another: the list is still answered from memory.
        await store.CreateAsync(Nodes, Node("node-1"));
        await other.CreateAsync(Pods, Pod("other", "c"));
        requests.Reset();
        var again = await store.ListAsync(Pods, "default", ListQuery.All);
        var labelled = await store.ListAsync(Pods, "default", new ListQuery(Filter: o => o.Metadata.Labels?.ContainsKey("app") == true));
        var unchangedQueries = requests.Queries;

        Assert.Equal(Names(first), Names(again));
        Assert.Equal(["a"], Names(labelled));
        Assert.Equal(await store.GetResourceVersionAsync(), again.ResourceVersion);
        Assert.InRange(unchangedQueries, 0, 1); // at most the one read of the log's new entries, none of the objects

        // Each answer is an object of its own: changing one changes nothing kept.
        again.Items[0].Metadata.Name = "changed";
        Assert.Equal(["a", "b"], Names(await store.ListAsync(Pods, "default", ListQuery.All)));

        // A write in the list's namespace, by another store: read again, and seen.
        await other.CreateAsync(Pods, Pod("default", "d"));
        Assert.Equal(["a", "b", "d"], Names(await store.ListAsync(Pods, "default", ListQuery.All)));
        await other.DeleteAsync(new ObjectKey(Pods, "default", "a"));
        Assert.Equal(["b", "d"], Names(await store.ListAsync(Pods, "default", ListQuery.All)));
        Assert.Equal(["b", "d", "c"], Names(await store.ListAsync(Pods, null, ListQuery.All))); // by namespace, then name

        // Paged lists are read from the table, as before.
        var page = await store.ListAsync(Pods, null, new ListQuery(Limit: 2));
        Assert.Equal(["b", "d"], Names(page));
        Assert.NotNull(page.Continue);
    }

    private static List<string> Names(ObjectList list) => [.. list.Items.Select(o => o.Metadata.Name)];

    [Fact]
    public async Task IdleWatchesOfOneStore_PollTheChangeLogsHead_AboutOncePerIntervalBetweenThem()
    {
        var requests = new CountRequests();
        var store = _harness.CreateStore(table: _harness.NewTableClient(o => o.AddPolicy(requests, HttpPipelinePosition.PerCall)));
        var start = await store.GetResourceVersionAsync();
        using var stop = new CancellationTokenSource();
        var watches = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var change in store.WatchAsync(Pods, null, start, stop.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        var watched = TimeSpan.FromSeconds(2);
        await Task.Delay(watched);
        await stop.CancelAsync();
        await Task.WhenAll(watches);

        // Eight watches polling every 250 ms on their own would read the head about 64 times in 2 s.
        var intervals = (int)(watched / _harness.Options.WatchPollInterval);
        Assert.InRange(requests.CounterReads, 1, 3 * intervals);
    }

    [Fact]
    public async Task WatchOfOneStore_SeesTheWritesOfAnother_ByPolling()
    {
        var watcher = _harness.CreateStore();
        var writer = _harness.CreateStore();
        var start = await watcher.GetResourceVersionAsync();
        var watching = CollectAsync(watcher, Pods, "default", start, 2);

        var a = await writer.CreateAsync(Pods, Pod("default", "a"));
        var b = await writer.CreateAsync(Pods, Pod("default", "b"));

        Assert.Equal([a.Metadata.ResourceVersion, b.Metadata.ResourceVersion], (await watching).Select(e => e.ResourceVersion));
    }

    [Fact]
    public async Task TransactionWhoseResponseIsLost_IsRetriedByTheSdk_AndCommitsExactlyOnce()
    {
        var loseOne = new LoseOneTransactionResponse();
        var store = _harness.CreateStore(table: _harness.NewTableClient(o => o.AddPolicy(loseOne, HttpPipelinePosition.PerRetry)));
        await store.CreateAsync(Nodes, Node("node-0"));

        loseOne.Arm();
        var created = await store.CreateAsync(Pods, Pod("default", "web"));
        var next = await store.CreateAsync(Pods, Pod("default", "next"));

        Assert.Equal(1, loseOne.Lost);
        Assert.Equal(2, Rv(created));
        Assert.Equal(3, Rv(next));
        var events = await CollectAsync(store, Pods, null, "0", 2);
        Assert.Equal(["web", "next"], events.Select(e => e.Object.Metadata.Name));
        Assert.Equal("3", await _harness.CreateStore().GetResourceVersionAsync());
    }

    [Fact]
    public async Task Compaction_RemovesOnlyEntriesPastTheRetention_AndNeverTheNewest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = _harness.CreateStore(time);
        var old = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            old.Add(Rv(await store.CreateAsync(Pods, Pod("default", $"old-{i}"))));
        }

        time.Advance(TimeSpan.FromMinutes(10));
        var recent = await store.CreateAsync(Pods, Pod("default", "recent"));
        var newest = await store.CreateAsync(Pods, Pod("default", "newest"));

        var through = await store.CompactChangeLogAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(old[^1], through);
        var expired = await WatchErrorAsync(store, Pods, old[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"too old resource version: {old[1]} ({old[^1]})", expired?.Message);
        var kept = await CollectAsync(store, Pods, null, old[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), 2);
        Assert.Equal([recent.Metadata.ResourceVersion, newest.Metadata.ResourceVersion], kept.Select(e => e.ResourceVersion));

        // With no retention at all, everything but the newest entry goes.
        Assert.Equal(Rv(recent), await store.CompactChangeLogAsync(TimeSpan.Zero));
        Assert.Equal(Rv(recent), await store.CompactChangeLogAsync(TimeSpan.Zero));
        Assert.Equal([TableKeys.LogRow(Rv(newest))], await LogRowsAsync());
        Assert.Equal(5, (await store.ListAsync(Pods, "default", ListQuery.All)).Items.Count);
    }

    [Fact]
    public async Task Compaction_RunFromTwoStoresAtOnce_EndsInTheSamePlace()
    {
        var stores = new[] { _harness.CreateStore(), _harness.CreateStore() };
        for (var i = 0; i < 150; i++)
        {
            await stores[i % 2].CreateAsync(Nodes, Node($"node-{i}"));
        }

        var results = await Task.WhenAll(stores.Select(s => s.CompactChangeLogAsync(TimeSpan.Zero)));

        Assert.Equal([149L, 149L], results);
        Assert.Equal([TableKeys.LogRow(150)], await LogRowsAsync());
        Assert.Equal(StoreErrorKind.Expired, (await WatchErrorAsync(stores[0], Nodes, "148"))?.Kind);
        Assert.Equal("node-149", (await CollectAsync(stores[1], Nodes, null, "149", 1))[0].Object.Metadata.Name);
    }

    private static k8s.Models.V1Pod WithVersion(k8s.Models.V1Pod pod, long resourceVersion)
    {
        var copy = Domain.Serialization.KubeJson.Clone(pod);
        copy.Metadata.ResourceVersion = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    private static async Task<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> CreateOrUpdateAsync(IObjectStore store, k8s.Models.V1Pod pod)
    {
        try
        {
            return await store.UpdateAsync(Pods, pod);
        }
        catch (StoreException e) when (e.Kind == StoreErrorKind.NotFound)
        {
            try
            {
                return await store.CreateAsync(Pods, pod);
            }
            catch (StoreException lost) when (lost.Kind == StoreErrorKind.AlreadyExists)
            {
                return await store.UpdateAsync(Pods, pod);
            }
        }
    }

    private async Task<List<string>> LogRowsAsync()
    {
        var rows = new List<string>();
        await foreach (var row in _harness.Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Partition} and RowKey gt {TableKeys.LogPrefix} and RowKey lt {TableKeys.UpperBound(TableKeys.LogPrefix)}"),
            select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    /// <summary>Records the method and address of every request the store sends.</summary>
    private sealed class CountRequests : HttpPipelinePolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Method, string Uri)> _requests = new();

        public IReadOnlyList<string> Methods => [.. _requests.Select(r => r.Method)];

        /// <summary>Gets how many queries (a <c>$filter</c>: lists and change-log reads) were sent.</summary>
        public int Queries => _requests.Count(r => r.Uri.Contains("$filter=", StringComparison.Ordinal) || r.Uri.Contains("%24filter=", StringComparison.Ordinal));

        /// <summary>Gets how many point reads of the change log's head (the counter row) were sent.</summary>
        public int CounterReads => _requests.Count(r => r.Method == "GET" && r.Uri.Contains(Uri.EscapeDataString(TableKeys.CounterRow), StringComparison.Ordinal));

        public void Reset() => _requests.Clear();

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        private void Record(HttpMessage message) => _requests.Enqueue((message.Request.Method.ToString(), message.Request.Uri.ToString()));
    }

    /// <summary>Lets one transaction reach the service, then drops its response as a broken connection would.</summary>
    private sealed class LoseOneTransactionResponse : HttpPipelinePolicy
    {
        private int _armed;
        private int _lost;

        public int Lost => Volatile.Read(ref _lost);

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            Drop(message);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            Drop(message);
        }

        private void Drop(HttpMessage message)
        {
            var uri = message.Request.Uri.ToString();
            if ((uri.Contains("$batch", StringComparison.Ordinal) || uri.Contains("%24batch", StringComparison.Ordinal))
                && message.Response.Status == 202
                && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Interlocked.Increment(ref _lost);
                throw new IOException("The connection dropped before the response arrived (test).");
            }
        }
    }
}
