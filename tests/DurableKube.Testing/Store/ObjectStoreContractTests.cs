using System.Text.RegularExpressions;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Serialization;
using DurableKube.Ports.Store;
using k8s;
using k8s.Models;
using Xunit;
using static DurableKube.Testing.Store.StoreObjects;

namespace DurableKube.Testing.Store;

/// <summary>
/// What every <see cref="IObjectStore"/> promises, as tests. A concrete class per store supplies a
/// fresh, empty store (and the work queue it writes to) for each test.
/// </summary>
public abstract partial class ObjectStoreContractTests : IAsyncLifetime
{
    /// <summary>How long a test waits for something that should happen; reaching it fails the test (it is a hang guard, not a speed check).</summary>
    protected static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static readonly ResourceType Pods = ResourceTypes.Pods;
    private static readonly ResourceType Nodes = ResourceTypes.Nodes;
    private static readonly ResourceType Namespaces = ResourceTypes.Namespaces;

    /// <summary>Gets the store under test.</summary>
    protected IObjectStore Store { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>Creates an empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IObjectStore> CreateStoreAsync();

    /// <summary>Removes every change-log entry but the newest, as compaction does once they are past the retention.</summary>
    /// <returns>A task that completes when the log is compacted.</returns>
    protected abstract Task CompactChangeLogAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    // ---- create and get ----

    [Fact]
    public async Task Create_NewObject_ReturnsACopyWithAResourceVersion_AndLeavesTheInputAlone()
    {
        var pod = Pod("default", "web", ("app", "web"));

        var created = await Store.CreateAsync(Pods, pod);

        Assert.True(Rv(created) > 0);
        Assert.Null(pod.Metadata.ResourceVersion);
        Assert.NotSame(pod, created);
        var read = await Store.GetAsync(Key(Pods, "default", "web"));
        Assert.NotNull(read);
        Assert.Equal(Json(created), Json(read));
        Assert.IsType<V1Pod>(read);
    }

    [Fact]
    public async Task Get_ReturnsACopy_ThatCallersMayChange()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web", ("app", "web")));

        var first = await Store.GetAsync(Key(Pods, "default", "web"));
        first!.Metadata.Labels["app"] = "changed";
        created.Metadata.Labels["app"] = "changed too";
        var second = await Store.GetAsync(Key(Pods, "default", "web"));

        Assert.Equal("web", second!.Metadata.Labels["app"]);
    }

    [Fact]
    public async Task Create_ExistingName_ThrowsAlreadyExists()
    {
        await Store.CreateAsync(Pods, Pod("default", "web"));

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.CreateAsync(Pods, Pod("default", "web")));

        Assert.Equal(StoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("pods \"web\" already exists", error.Message);
    }

    [Fact]
    public async Task Create_SameNameInAnotherNamespaceOrType_Succeeds()
    {
        await Store.CreateAsync(Pods, Pod("one", "web"));

        await Store.CreateAsync(Pods, Pod("two", "web"));
        await Store.CreateAsync(Nodes, Node("web"));

        Assert.NotNull(await Store.GetAsync(Key(Pods, "one", "web")));
        Assert.NotNull(await Store.GetAsync(Key(Pods, "two", "web")));
        Assert.NotNull(await Store.GetAsync(Key(Nodes, null, "web")));
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull()
    {
        await Store.CreateAsync(Pods, Pod("default", "web"));

        Assert.Null(await Store.GetAsync(Key(Pods, "default", "other")));
        Assert.Null(await Store.GetAsync(Key(Pods, "elsewhere", "web")));
        Assert.Null(await Store.GetAsync(Key(Nodes, null, "web")));
    }

    [Fact]
    public async Task Get_ClusterScoped_ReturnsTheObject()
    {
        var created = await Store.CreateAsync(Nodes, Node("node-1"));

        var read = await Store.GetAsync(Key(Nodes, null, "node-1"));

        Assert.IsType<V1Node>(read);
        Assert.Equal(Json(created), Json(read));
    }

    // ---- list ----

    [Fact]
    public async Task List_Namespace_ReturnsOnlyThatNamespace_OrderedByName()
    {
        foreach (var (ns, name) in new[] { ("a", "b"), ("a", "c"), ("a", "a"), ("a-b", "x"), ("ab", "y"), ("b", "z") })
        {
            await Store.CreateAsync(Pods, Pod(ns, name));
        }

        var list = await Store.ListAsync(Pods, "a", ListQuery.All);

        Assert.Equal(["a/a", "a/b", "a/c"], Names(list));
        Assert.Null(list.Continue);
    }

    [Fact]
    public async Task List_AllNamespaces_OrdersByNamespaceThenName()
    {
        foreach (var (ns, name) in new[] { ("b", "a"), ("a-b", "a"), ("a", "z"), ("a", "y-1"), ("a", "y"), ("ab", "a") })
        {
            await Store.CreateAsync(Pods, Pod(ns, name));
        }

        await Store.CreateAsync(Nodes, Node("node-1"));

        var list = await Store.ListAsync(Pods, null, ListQuery.All);

        Assert.Equal(["a/y", "a/y-1", "a/z", "a-b/a", "ab/a", "b/a"], Names(list));
    }

    [Fact]
    public async Task List_ClusterScoped_ReturnsEveryObjectOfThatTypeOnly()
    {
        await Store.CreateAsync(Nodes, Node("node-2"));
        await Store.CreateAsync(Nodes, Node("node-1"));
        await Store.CreateAsync(Namespaces, Namespace("default"));
        await Store.CreateAsync(Pods, Pod("default", "node-0"));

        var nodes = await Store.ListAsync(Nodes, null, ListQuery.All);
        var namespaces = await Store.ListAsync(Namespaces, null, ListQuery.All);

        Assert.Equal(["node-1", "node-2"], Names(nodes));
        Assert.All(nodes.Items, n => Assert.IsType<V1Node>(n));
        Assert.Equal(["default"], Names(namespaces));
    }

    [Fact]
    public async Task List_WithFilter_KeepsOnlyTheObjectsItAccepts()
    {
        await Store.CreateAsync(Pods, Pod("default", "web-1", ("app", "web")));
        await Store.CreateAsync(Pods, Pod("default", "db-1", ("app", "db")));
        await Store.CreateAsync(Pods, Pod("default", "web-2", ("app", "web")));

        var list = await Store.ListAsync(Pods, "default", new ListQuery(Filter: o => o.Metadata.Labels?["app"] == "web"));

        Assert.Equal(["default/web-1", "default/web-2"], Names(list));
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughEveryObjectOnce_AtTheFirstPagesVersion()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.CreateAsync(Pods, Pod("default", $"pod-{i}"));
        }

        var pages = await ListAllPagesAsync(Pods, "default", limit: 3, filter: null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"default/pod-{i}"), pages.SelectMany(Names));
        Assert.Single(pages.Select(p => p.ResourceVersion).Distinct());
        Assert.All(pages.SkipLast(1), p => Assert.False(string.IsNullOrEmpty(p.Continue)));
    }

    [Fact]
    public async Task List_WithLimitAndFilter_PagesThroughTheMatchesOnly()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.CreateAsync(Pods, Pod("default", $"pod-{i}", ("parity", i % 2 == 0 ? "even" : "odd")));
        }

        var pages = await ListAllPagesAsync(Pods, "default", limit: 2, filter: o => o.Metadata.Labels["parity"] == "even");

        Assert.Equal(["default/pod-0", "default/pod-2", "default/pod-4", "default/pod-6", "default/pod-8"], pages.SelectMany(Names));
        Assert.All(pages, p => Assert.InRange(p.Items.Count, 1, 2));
    }

    [Fact]
    public async Task List_WithLimitCoveringEverything_HasNoContinue()
    {
        await Store.CreateAsync(Pods, Pod("default", "a"));
        await Store.CreateAsync(Pods, Pod("default", "b"));

        var list = await Store.ListAsync(Pods, "default", new ListQuery(Limit: 2));

        Assert.Equal(2, list.Items.Count);
        Assert.Null(list.Continue);
    }

    [Fact]
    public async Task List_InvalidContinue_ThrowsInvalidContinue()
    {
        for (var i = 0; i < 3; i++)
        {
            await Store.CreateAsync(Pods, Pod("a", $"pod-{i}"));
            await Store.CreateAsync(Nodes, Node($"node-{i}"));
        }

        var page = await Store.ListAsync(Pods, "a", new ListQuery(Limit: 1));
        Assert.NotNull(page.Continue);

        foreach (var (type, ns, token) in new[] { (Pods, "a", "not a token!"), (Pods, "a", "bm90IGEgdG9rZW4"), (Pods, "b", page.Continue), (Nodes, null, page.Continue) })
        {
            var error = await Assert.ThrowsAsync<StoreException>(() => Store.ListAsync(type, ns, new ListQuery(Limit: 1, Continue: token)));
            Assert.Equal(StoreErrorKind.InvalidContinue, error.Kind);
        }
    }

    [Fact]
    public async Task List_ResourceVersion_IsAtLeastThatOfEveryEarlierWrite_OfAnyType()
    {
        var pod = await Store.CreateAsync(Pods, Pod("default", "web"));
        var node = await Store.CreateAsync(Nodes, Node("node-1"));

        var list = await Store.ListAsync(Pods, "default", ListQuery.All);

        Assert.True(Rv(list.ResourceVersion) >= Rv(node), $"list at {list.ResourceVersion}, node written at {node.Metadata.ResourceVersion}");
        Assert.True(Rv(list.ResourceVersion) > Rv(pod));
    }

    [Fact]
    public async Task Watch_FromAListsVersion_MissesNoChangeMadeWhilePaging()
    {
        await Store.CreateAsync(Pods, Pod("default", "a"));
        await Store.CreateAsync(Pods, Pod("default", "b"));
        var first = await Store.ListAsync(Pods, "default", new ListQuery(Limit: 1));
        Assert.Equal(["default/a"], Names(first));

        // While the client pages, an object it has already read changes.
        var changed = await Store.UpdateAsync(Pods, Pod("default", "a", ("changed", "yes")));
        var last = await Store.ListAsync(Pods, "default", new ListQuery(Limit: 1, Continue: first.Continue));
        Assert.Equal(["default/b"], Names(last));
        Assert.Null(last.Continue);

        var events = await CollectAsync(Pods, "default", last.ResourceVersion, 1);

        Assert.Equal(changed.Metadata.ResourceVersion, events[0].ResourceVersion);
        Assert.Equal("yes", events[0].Object.Metadata.Labels["changed"]);
    }

    [Fact]
    public async Task Watch_FromAListsVersion_DeliversChangesCommittedAfterTheList()
    {
        await Store.CreateAsync(Pods, Pod("default", "a"));
        var list = await Store.ListAsync(Pods, "default", ListQuery.All);

        var added = await Store.CreateAsync(Pods, Pod("default", "b"));
        var events = await CollectAsync(Pods, "default", list.ResourceVersion, 1);

        Assert.Equal(WatchEventType.Added, events[0].Type);
        Assert.Equal(added.Metadata.ResourceVersion, events[0].ResourceVersion);
    }

    // ---- update ----

    [Fact]
    public async Task Update_WithTheCurrentVersion_StoresTheObjectAtANewerVersion()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        var change = KubeJson.Clone((V1Pod)created);
        change.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "front" };

        var updated = await Store.UpdateAsync(Pods, change);

        Assert.True(Rv(updated) > Rv(created));
        Assert.Equal(created.Metadata.ResourceVersion, change.Metadata.ResourceVersion);
        var read = await Store.GetAsync(Key(Pods, "default", "web"));
        Assert.Equal(Json(updated), Json(read));
        Assert.Equal("front", read!.Metadata.Labels["tier"]);
    }

    [Fact]
    public async Task Update_WithAStaleVersion_ThrowsConflict_AndKeepsTheStoredObject()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        var current = await Store.UpdateAsync(Pods, WithLabel(created, "step", "1"));

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync(Pods, WithLabel(created, "step", "stale")));

        Assert.Equal(StoreErrorKind.Conflict, error.Kind);
        Assert.Contains("the object has been modified", error.Message, StringComparison.Ordinal);
        Assert.Equal(Json(current), Json(await Store.GetAsync(Key(Pods, "default", "web"))));
    }

    [Fact]
    public async Task Update_WithoutAVersion_IsUnconditional()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        await Store.UpdateAsync(Pods, WithLabel(created, "step", "1"));
        var blind = WithLabel(created, "step", "2");
        blind.Metadata.ResourceVersion = null;

        var updated = await Store.UpdateAsync(Pods, blind);

        Assert.Equal("2", updated.Metadata.Labels["step"]);
        Assert.Equal("2", (await Store.GetAsync(Key(Pods, "default", "web")))!.Metadata.Labels["step"]);
    }

    [Fact]
    public async Task Update_Missing_ThrowsNotFound_WithOrWithoutAVersion()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        var other = WithLabel(created, "x", "y");
        other.Metadata.Name = "other";

        var conditional = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync(Pods, other));
        other.Metadata.ResourceVersion = null;
        var unconditional = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync(Pods, other));

        Assert.Equal(StoreErrorKind.NotFound, conditional.Kind);
        Assert.Equal(StoreErrorKind.NotFound, unconditional.Kind);
        Assert.Equal("pods \"other\" not found", unconditional.Message);
        Assert.Null(await Store.GetAsync(Key(Pods, "default", "other")));
    }

    // ---- delete ----

    [Fact]
    public async Task Delete_ReturnsTheObjectAtTheVersionOfItsRemoval()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web", ("app", "web")));
        await Store.CreateAsync(Nodes, Node("node-1"));

        var removed = await Store.DeleteAsync(Key(Pods, "default", "web"));

        Assert.True(Rv(removed) > Rv(created));
        Assert.Equal(await Store.GetResourceVersionAsync(), removed.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, removed.Metadata.Uid);
        Assert.Equal("web", removed.Metadata.Labels["app"]);
        Assert.IsType<V1Pod>(removed);
        Assert.Null(await Store.GetAsync(Key(Pods, "default", "web")));
    }

    [Fact]
    public async Task Delete_WithAnotherUidOrAStaleVersion_ThrowsConflict_AndKeepsTheObject()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        await Store.UpdateAsync(Pods, WithLabel(created, "step", "1"));

        var wrongUid = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync(Key(Pods, "default", "web"), new Preconditions(Uid: "another-uid")));
        var staleVersion = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync(Key(Pods, "default", "web"), new Preconditions(ResourceVersion: created.Metadata.ResourceVersion)));

        Assert.Equal(StoreErrorKind.Conflict, wrongUid.Kind);
        Assert.Equal(StoreErrorKind.Conflict, staleVersion.Kind);
        Assert.NotNull(await Store.GetAsync(Key(Pods, "default", "web")));
    }

    [Fact]
    public async Task Delete_WithMatchingPreconditions_RemovesTheObject()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));

        var removed = await Store.DeleteAsync(Key(Pods, "default", "web"), new Preconditions(created.Metadata.Uid, created.Metadata.ResourceVersion));

        Assert.Equal(created.Metadata.Uid, removed.Metadata.Uid);
        Assert.Null(await Store.GetAsync(Key(Pods, "default", "web")));
    }

    [Fact]
    public async Task Delete_Missing_ThrowsNotFound()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        await Store.DeleteAsync(Key(Pods, "default", "web"));

        var again = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync(Key(Pods, "default", "web")));
        var never = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync(Key(Nodes, null, "node-1"), new Preconditions(created.Metadata.Uid)));

        Assert.Equal(StoreErrorKind.NotFound, again.Kind);
        Assert.Equal(StoreErrorKind.NotFound, never.Kind);
    }

    // ---- resource versions ----

    [Fact]
    public async Task ResourceVersions_IncreaseStrictly_AcrossTypes_AndTheStoreReportsTheNewest()
    {
        var initial = Rv(await Store.GetResourceVersionAsync());
        var pod = await Store.CreateAsync(Pods, Pod("default", "web"));
        var node = await Store.CreateAsync(Nodes, Node("node-1"));
        var ns = await Store.CreateAsync(Namespaces, Namespace("default"));
        var podUpdate = await Store.UpdateAsync(Pods, WithLabel(pod, "a", "b"));
        var nodeRemoval = await Store.DeleteAsync(Key(Nodes, null, "node-1"));

        long[] versions = [initial, Rv(pod), Rv(node), Rv(ns), Rv(podUpdate), Rv(nodeRemoval)];

        for (var i = 1; i < versions.Length; i++)
        {
            Assert.True(versions[i] > versions[i - 1], $"versions not increasing: {string.Join(", ", versions)}");
        }

        Assert.Equal(nodeRemoval.Metadata.ResourceVersion, await Store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task FailedWrites_GiveOutNoResourceVersion()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        var before = await Store.GetResourceVersionAsync();

        await Assert.ThrowsAsync<StoreException>(() => Store.CreateAsync(Pods, Pod("default", "web")));
        await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync(Pods, Stale(WithLabel(created, "a", "b"))));
        await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync(Key(Pods, "default", "missing")));

        Assert.Equal(before, await Store.GetResourceVersionAsync());
        var next = await Store.CreateAsync(Nodes, Node("node-1"));
        Assert.Equal(Rv(before) + 1, Rv(next));
    }

    // ---- too large ----

    [Fact]
    public async Task Create_ObjectLargerThanTheStoreHolds_ThrowsTooLarge_NamingTheLimit()
    {
        var before = await Store.GetResourceVersionAsync();

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.CreateAsync(Pods, Pod("default", "huge", ("size", "big"), annotationBytes: 1024 * 1024)));

        Assert.Equal(StoreErrorKind.TooLarge, error.Kind);
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        Assert.Matches(LimitNumber(), error.Message);
        Assert.Null(await Store.GetAsync(Key(Pods, "default", "huge")));
        Assert.Equal(before, await Store.GetResourceVersionAsync());
    }

    [Fact]
    public async Task Update_ToAnObjectLargerThanTheStoreHolds_ThrowsTooLarge_AndKeepsTheObject()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "web"));
        var huge = Pod("default", "web", annotationBytes: 1024 * 1024);

        var error = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync(Pods, huge));

        Assert.Equal(StoreErrorKind.TooLarge, error.Kind);
        Assert.Equal(Json(created), Json(await Store.GetAsync(Key(Pods, "default", "web"))));
    }

    [Fact]
    public async Task Create_LargeObjectWithinTheLimit_RoundTrips()
    {
        var created = await Store.CreateAsync(Pods, Pod("default", "big", annotationBytes: 600 * 1024));

        var read = await Store.GetAsync(Key(Pods, "default", "big"));
        var listed = await Store.ListAsync(Pods, "default", ListQuery.All);

        Assert.Equal(Json(created), Json(read));
        Assert.Equal(Json(created), Json(Assert.Single(listed.Items)));
        Assert.Equal(600 * 1024, read!.Metadata.Annotations["blob"].Length);
    }

    // ---- helpers ----

    /// <summary>Reads a watch until <paramref name="count"/> changes have come, failing the test if they do not come within <see cref="WaitLimit"/>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="ns">The namespace, or null.</param>
    /// <param name="afterResourceVersion">Where the watch starts.</param>
    /// <param name="count">How many changes to wait for.</param>
    /// <returns>The changes.</returns>
    protected Task<IReadOnlyList<ObjectChangeEvent>> CollectAsync(ResourceType type, string? ns, string afterResourceVersion, int count) =>
        WatchReader.CollectAsync(Store, type, ns, afterResourceVersion, count, WaitLimit);

    /// <summary>Describes watch events for a failure message.</summary>
    /// <param name="events">The events.</param>
    /// <returns>One line.</returns>
    protected static string Describe(IEnumerable<ObjectChangeEvent> events) => WatchReader.Describe(events);

    private static IKubernetesObject<V1ObjectMeta> Stale(IKubernetesObject<V1ObjectMeta> obj)
    {
        obj.Metadata.ResourceVersion = "1" + obj.Metadata.ResourceVersion;
        return obj;
    }

    private static IEnumerable<string> Names(ObjectList list) =>
        list.Items.Select(o => o.Metadata.NamespaceProperty is { } ns ? $"{ns}/{o.Metadata.Name}" : o.Metadata.Name);

    private async Task<List<ObjectList>> ListAllPagesAsync(ResourceType type, string? ns, int limit, Func<IKubernetesObject<V1ObjectMeta>, bool>? filter)
    {
        var pages = new List<ObjectList>();
        string? token = null;
        do
        {
            var page = await Store.ListAsync(type, ns, new ListQuery(filter, limit, token));
            pages.Add(page);
            token = page.Continue;
            Assert.True(pages.Count <= 100, "The list never ends.");
        }
        while (token is not null);

        return pages;
    }

    [GeneratedRegex(@"\b\d{5,}\b")]
    private static partial Regex LimitNumber();
}
