using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;

namespace DurableKube.Api.Tests.Events;

/// <summary>Events are stored once and served as <c>v1</c> and <c>events.k8s.io/v1</c>, with the API server's field selectors and validation.</summary>
public sealed class EventVersionsTests
{
    private const string CoreEvent = """
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1","namespace":"default"},
         "involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1","apiVersion":"v1","fieldPath":"spec.containers{app}"},
         "reason":"BackOff","message":"Back-off restarting failed container app in pod web_default(u-1)",
         "source":{"component":"kubelet","host":"node-1"},"type":"Warning","count":3,
         "firstTimestamp":"2026-12-03T07:00:00Z","lastTimestamp":"2026-12-03T07:05:00Z"}
        """;

    [Fact]
    public async Task A_v1_event_reads_as_events_k8s_io_with_the_fields_renamed()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces/default/events", CoreEvent)).AssertOk(201);

        var ev = (await api.GetAsync("/apis/events.k8s.io/v1/namespaces/default/events/web.1")).AssertOk().Json;

        Assert.Equal("events.k8s.io/v1", ev["apiVersion"]!.GetValue<string>());
        Assert.Equal("Back-off restarting failed container app in pod web_default(u-1)", ev["note"]!.GetValue<string>());
        Assert.Equal("web", ev["regarding"]!["name"]!.GetValue<string>());
        Assert.Equal(3, ev["deprecatedCount"]!.GetValue<int>());
        Assert.Equal("kubelet", ev["deprecatedSource"]!["component"]!.GetValue<string>());
        Assert.NotNull(ev["deprecatedFirstTimestamp"]);
        Assert.Null(ev["message"]);
    }

    [Fact]
    public async Task An_events_k8s_io_event_reads_as_v1_and_is_listed_by_both()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/apis/events.k8s.io/v1/namespaces/default/events", """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"web.2"},"eventTime":"2026-12-03T07:00:00.000000Z",
             "regarding":{"kind":"Pod","namespace":"default","name":"web"},"reason":"Scheduled","note":"Successfully assigned default/web to node-1",
             "reportingController":"default-scheduler","reportingInstance":"default-scheduler-node-1","action":"Binding","type":"Normal",
             "series":{"count":2,"lastObservedTime":"2026-12-03T07:01:00.000000Z"}}
            """)).AssertOk(201);

        var core = (await api.GetAsync("/api/v1/namespaces/default/events/web.2")).AssertOk().Json;
        Assert.Equal("Successfully assigned default/web to node-1", core["message"]!.GetValue<string>());
        Assert.Equal("default-scheduler", core["reportingComponent"]!.GetValue<string>());
        Assert.Equal(2, core["series"]!["count"]!.GetValue<int>());
        var coreList = (await api.GetAsync("/api/v1/events")).AssertOk().Json["items"]!.AsArray();
        var newList = (await api.GetAsync("/apis/events.k8s.io/v1/events")).AssertOk().Json["items"]!.AsArray();
        Assert.Equal(["web.2"], coreList.Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(["web.2"], newList.Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(coreList[0]!["metadata"]!["resourceVersion"]!.GetValue<string>(), newList[0]!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.name=web", true)]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.name=db", false)]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Pod,involvedObject.uid=u-1", true)]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.apiVersion=v1,involvedObject.fieldPath=spec.containers{app}", true)]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.resourceVersion=", true)]
    [InlineData("/api/v1/namespaces/default/events", "reason=BackOff,type=Warning", true)]
    [InlineData("/api/v1/namespaces/default/events", "type!=Warning", false)]
    [InlineData("/api/v1/namespaces/default/events", "source=kubelet", true)]
    [InlineData("/api/v1/namespaces/default/events", "reportingComponent=kubelet", false)]
    [InlineData("/api/v1/events", "metadata.namespace=default,metadata.name=web.1", true)]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events", "regarding.name=web,regarding.kind=Pod", true)]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events", "regarding.uid=u-2", false)]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events", "reason=BackOff,type=Warning", true)]
    public async Task Events_are_selected_by_the_fields_the_API_server_supports(string collection, string selector, bool found)
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces/default/events", CoreEvent)).AssertOk(201);

        var items = (await api.GetAsync($"{collection}?fieldSelector={Uri.EscapeDataString(selector)}")).AssertOk().Json["items"]!.AsArray();

        Assert.Equal(found ? 1 : 0, items.Count);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/events", "involvedObject.color=red")]
    [InlineData("/apis/events.k8s.io/v1/namespaces/default/events", "involvedObject.name=web")]
    public async Task An_unknown_field_label_is_a_bad_request(string collection, string selector)
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.GetAsync($"{collection}?fieldSelector={Uri.EscapeDataString(selector)}");

        response.AssertStatus(400, "BadRequest");
        Assert.Contains("field label not supported", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_get_events_prints_last_seen_type_reason_object_message()
    {
        await using var api = await ApiHost.StartAsync();
        (await api.PostAsync("/api/v1/namespaces/default/events", CoreEvent)).AssertOk(201);

        var table = (await api.GetAsync("/api/v1/namespaces/default/events", ApiHost.TableAccept)).AssertOk().Json;

        var columns = table["columnDefinitions"]!.AsArray().Where(c => c!["priority"]?.GetValue<int>() is null or 0).Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Last Seen", "Type", "Reason", "Object", "Message"], columns);
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal(("Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node-1", 3), (cells[1]!.GetValue<string>(), cells[2]!.GetValue<string>(), cells[3]!.GetValue<string>(), cells[4]!.GetValue<string>(), cells[5]!.GetValue<string>(), cells[8]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Event","metadata":{"name":"x"},"involvedObject":{"kind":"Pod","namespace":"other","name":"web"},"reason":"R"}""", "involvedObject.namespace: Invalid value: \"other\": does not match event.namespace")]
    [InlineData("""{"apiVersion":"v1","kind":"Event","metadata":{"name":"x"},"eventTime":"2026-12-03T07:00:00.000000Z","involvedObject":{"kind":"Pod","namespace":"default","name":"web"}}""", "reportingController: Required value")]
    public async Task A_v1_event_is_checked_as_the_API_server_checks_it(string body, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.PostAsync("/api/v1/namespaces/default/events", body);

        response.AssertStatus(422, "Invalid");
        Assert.Contains(message, response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"},"regarding":{"kind":"Pod","namespace":"default","name":"web"},"reason":"R","reportingController":"c","reportingInstance":"i","action":"A","type":"Normal"}""", "eventTime: Required value")]
    [InlineData("""{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"},"eventTime":"2026-12-03T07:00:00.000000Z","regarding":{"kind":"Pod","namespace":"default","name":"web"},"reason":"R","reportingController":"c","reportingInstance":"i","action":"A","type":"Bad"}""", "type: Invalid value: \"\": has invalid value: Bad")]
    [InlineData("""{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"},"eventTime":"2026-12-03T07:00:00.000000Z","regarding":{"kind":"Pod","namespace":"default","name":"web"},"reason":"R","reportingController":"c","reportingInstance":"i","action":"A","type":"Normal","deprecatedCount":2}""", "count: Invalid value: \"\": needs to be unset")]
    [InlineData("""{"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"x"},"eventTime":"2026-12-03T07:00:00.000000Z","regarding":{"kind":"Pod","namespace":"default","name":"web"},"reason":"R","reportingController":"c","reportingInstance":"i","action":"A","type":"Normal","series":{"count":1,"lastObservedTime":"2026-12-03T07:00:00.000000Z"}}""", "series.count: Invalid value: \"\": should be at least 2")]
    public async Task An_events_k8s_io_event_is_checked_strictly(string body, string message)
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.PostAsync("/apis/events.k8s.io/v1/namespaces/default/events", body);

        response.AssertStatus(422, "Invalid");
        Assert.Contains(message, response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_watch_of_events_k8s_io_sees_a_v1_event_created()
    {
        await using var api = await ApiHost.StartAsync();
        var list = (await api.GetAsync("/apis/events.k8s.io/v1/namespaces/default/events")).AssertOk().Json;
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        await using var watch = await WatchStream.OpenAsync(api, $"/apis/events.k8s.io/v1/namespaces/default/events?watch=true&resourceVersion={rv}");

        (await api.PostAsync("/api/v1/namespaces/default/events", CoreEvent)).AssertOk(201);

        var first = await watch.NextAsync();
        Assert.Equal("ADDED", first["type"]!.GetValue<string>());
        Assert.Equal("events.k8s.io/v1", first["object"]!["apiVersion"]!.GetValue<string>());
        Assert.Equal("web", first["object"]!["regarding"]!["name"]!.GetValue<string>());
    }
}
