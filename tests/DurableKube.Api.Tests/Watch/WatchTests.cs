using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;

namespace DurableKube.Api.Tests.Watch;

public class WatchTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private static string Type(JsonNode e) => e["type"]!.GetValue<string>();

    private static string Name(JsonNode e) => e["object"]!["metadata"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task Without_a_resource_version_existing_objects_come_first_as_added()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await api.CreatePodAsync("b");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true");

        var first = await watch.NextAsync();
        var second = await watch.NextAsync();
        await api.CreatePodAsync("c");
        var third = await watch.NextAsync();
        await api.SetPodAsync("a", p => p.Metadata.Labels["x"] = "y");
        var fourth = await watch.NextAsync();
        await api.Store.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", "b"));
        var fifth = await watch.NextAsync();

        Assert.Equal(200, watch.Code);
        Assert.Equal(("ADDED", "a"), (Type(first), Name(first)));
        Assert.Equal(("ADDED", "b"), (Type(second), Name(second)));
        Assert.Equal(("ADDED", "c"), (Type(third), Name(third)));
        Assert.Equal(("MODIFIED", "a"), (Type(fourth), Name(fourth)));
        Assert.Equal(("DELETED", "b"), (Type(fifth), Name(fifth)));
        Assert.Equal("Pod", first["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task From_a_resource_version_only_later_changes_come()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        var list = (await api.GetAsync(Pods)).AssertOk().Json;
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        await api.CreatePodAsync("b");
        await using var watch = await WatchStream.OpenAsync(api, $"{Pods}?watch=1&resourceVersion={rv}");

        var first = await watch.NextAsync();

        Assert.Equal(("ADDED", "b"), (Type(first), Name(first)));
    }

    [Fact]
    public async Task A_compacted_resource_version_ends_in_one_expired_error()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await api.CreatePodAsync("b");
        api.Store.Compact(long.Parse(await api.Store.GetResourceVersionAsync(), System.Globalization.CultureInfo.InvariantCulture));
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&resourceVersion=1");

        var events = await watch.RestAsync();

        var error = Assert.Single(events);
        Assert.Equal("ERROR", Type(error));
        Assert.Equal("Status", error["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Label_selector_transitions_are_added_and_deleted()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a", change: p => p.Metadata.Labels = new Dictionary<string, string> { ["team"] = "blue" });
        await api.CreatePodAsync("b", change: p => p.Metadata.Labels = new Dictionary<string, string> { ["team"] = "red" });
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&labelSelector=team%3Dblue");

        var initial = await watch.NextAsync();
        await api.SetPodAsync("a", p => p.Metadata.Labels["team"] = "red");
        var left = await watch.NextAsync();
        await api.SetPodAsync("b", p => p.Metadata.Labels["team"] = "blue");
        var joined = await watch.NextAsync();
        await api.SetPodAsync("b", p => p.Metadata.Labels["extra"] = "1");
        var changed = await watch.NextAsync();
        await api.SetPodAsync("a", p => p.Metadata.Labels["extra"] = "1");
        await api.Store.DeleteAsync(new ObjectKey(ResourceTypes.Pods, "default", "b"));
        var gone = await watch.NextAsync();

        Assert.Equal(("ADDED", "a"), (Type(initial), Name(initial)));
        Assert.Equal(("DELETED", "a"), (Type(left), Name(left)));
        Assert.Equal(("ADDED", "b"), (Type(joined), Name(joined)));
        Assert.Equal(("MODIFIED", "b"), (Type(changed), Name(changed)));
        Assert.Equal(("DELETED", "b"), (Type(gone), Name(gone)));
    }

    [Fact]
    public async Task Kubectl_delete_waits_with_a_field_selector_watch_until_deleted()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("web");
        await api.CreatePodAsync("other");
        await api.SetPodAsync("web", p =>
        {
            p.Spec.NodeName = "node-1";
            p.Status.Phase = "Running";
        });
        (await api.DeleteAsync(Pods + "/web", """{"propagationPolicy":"Background"}""")).AssertOk();
        var list = (await api.GetAsync(Pods + "?fieldSelector=metadata.name%3Dweb&resourceVersion=0")).AssertOk().Json;
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = await WatchStream.OpenAsync(api, $"{Pods}?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dweb&resourceVersion={rv}&timeoutSeconds=120&watch=true");

        await api.SetPodAsync("other", p => p.Metadata.Labels["x"] = "y");
        (await api.DeleteAsync(Pods + "/web?gracePeriodSeconds=0")).AssertOk();
        var shortened = await watch.NextAsync();
        var deleted = await watch.NextAsync();

        Assert.Equal(("MODIFIED", "web"), (Type(shortened), Name(shortened)));
        Assert.Equal(0, shortened["object"]!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(("DELETED", "web"), (Type(deleted), Name(deleted)));
    }

    [Fact]
    public async Task A_watch_ends_at_its_timeout_with_a_last_bookmark()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&timeoutSeconds=30&allowWatchBookmarks=true");
        var added = await watch.NextAsync();

        api.Time.Advance(TimeSpan.FromSeconds(30));
        var rest = await watch.RestAsync();

        Assert.Equal("ADDED", Type(added));
        var bookmark = Assert.Single(rest);
        Assert.Equal("BOOKMARK", Type(bookmark));
        Assert.Equal("Pod", bookmark["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(await api.Store.GetResourceVersionAsync(), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_last_bookmark_carries_the_last_change_sent_not_where_the_watch_began()
    {
        await using var api = await ApiHost.StartAsync();
        var start = await api.Store.GetResourceVersionAsync();
        await using var watch = await WatchStream.OpenAsync(api, $"{Pods}?watch=true&timeoutSeconds=30&allowWatchBookmarks=true&resourceVersion={start}");
        await api.CreatePodAsync("a");
        var added = await watch.NextAsync();

        api.Time.Advance(TimeSpan.FromSeconds(30));
        var rest = await watch.RestAsync();

        // A reflector resumes from this bookmark: had it carried the watch's start, the pod would come again as added.
        Assert.Equal(("ADDED", "a"), (Type(added), Name(added)));
        var bookmark = Assert.Single(rest);
        Assert.Equal("BOOKMARK", Type(bookmark));
        Assert.Equal(added["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.NotEqual(start, bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_configured_maximum_caps_the_timeout_asked_for()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:MaxWatchTimeoutSeconds"] = "10", ["KubernetesApi:WatchTimeoutSeconds"] = "10" });
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&timeoutSeconds=3600");

        api.Time.Advance(TimeSpan.FromSeconds(10));
        var rest = await watch.RestAsync();

        Assert.Empty(rest);
    }

    [Fact]
    public async Task Bookmarks_come_periodically_when_allowed()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:BookmarkIntervalSeconds"] = "5" });
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=300");

        JsonNode? bookmark = null;
        for (var i = 0; i < 40 && bookmark is null; i++)
        {
            api.Time.Advance(TimeSpan.FromSeconds(5));
            bookmark = await watch.TryNextAsync(TimeSpan.FromMilliseconds(250));
        }

        Assert.NotNull(bookmark);
        Assert.Equal("BOOKMARK", Type(bookmark));
    }

    [Fact]
    public async Task A_table_watch_sends_one_row_tables()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true", ApiHost.TableAccept);

        var added = await watch.NextAsync();

        Assert.Equal("Table", added["object"]!["kind"]!.GetValue<string>());
        var row = Assert.Single(added["object"]!["rows"]!.AsArray())!;
        Assert.Equal("a", row["cells"]![0]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_of_one_named_object_follows_only_it()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await api.CreatePodAsync("b");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "/b?watch=true");

        var first = await watch.NextAsync();
        await api.SetPodAsync("a", p => p.Metadata.Labels["x"] = "1");
        await api.SetPodAsync("b", p => p.Metadata.Labels["x"] = "1");
        var second = await watch.NextAsync();

        Assert.Equal(("ADDED", "b"), (Type(first), Name(first)));
        Assert.Equal(("MODIFIED", "b"), (Type(second), Name(second)));
    }

    [Fact]
    public async Task A_bad_resource_version_is_400()
    {
        await using var api = await ApiHost.StartAsync();

        (await api.GetAsync(Pods + "?watch=true&resourceVersion=abc")).AssertStatus(400, "BadRequest");
    }

    [Fact]
    public async Task A_watch_list_sends_the_initial_objects_then_the_initial_events_end_bookmark()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");

        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();
        await api.CreatePodAsync("b");
        var later = await watch.NextAsync();

        Assert.Equal(("ADDED", "a"), (Type(added), Name(added)));
        Assert.Equal("BOOKMARK", Type(bookmark));
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
        Assert.Equal(("ADDED", "b"), (Type(later), Name(later)));
    }

    [Fact]
    public async Task Send_initial_events_false_starts_from_now_without_the_current_objects()
    {
        await using var api = await ApiHost.StartAsync();
        await api.CreatePodAsync("a");
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan");

        await api.CreatePodAsync("b");
        var first = await watch.NextAsync();

        Assert.Equal(("ADDED", "b"), (Type(first), Name(first)));
    }

    [Fact]
    public async Task Without_timeout_seconds_a_watch_lasts_at_least_the_minimum_request_timeout()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:WatchTimeoutSeconds"] = "100", ["KubernetesApi:BookmarkIntervalSeconds"] = "3600" });
        await using var watch = await WatchStream.OpenAsync(api, Pods + "?watch=true&allowWatchBookmarks=true");

        api.Time.Advance(TimeSpan.FromSeconds(99));
        var early = await watch.TryNextAsync(TimeSpan.FromMilliseconds(500));
        api.Time.Advance(TimeSpan.FromSeconds(101));
        var rest = await watch.RestAsync();

        // A watch that ends sends its last bookmark: none before 100 s, one by 200 s (100 s times [1, 2)).
        Assert.Null(early);
        Assert.Equal("BOOKMARK", Type(Assert.Single(rest)));
    }
}
