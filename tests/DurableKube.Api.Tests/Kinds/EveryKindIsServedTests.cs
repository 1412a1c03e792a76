using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.Tests.Kinds;

/// <summary>
/// Walks every kind the host's <see cref="KindRegistry"/> serves through HTTP, as kubectl and the C#
/// client use it: discovery, create, get, list, Table, watch, patch, delete and its subresources, each
/// checked against the kind's descriptor. A kind registered without a sample in <see cref="KindSamples"/>
/// fails here, so none is added without being walked.
/// </summary>
public class EveryKindIsServedTests
{
    private const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private const string TableV1 = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private const string MergePatch = "application/merge-patch+json";
    private const string WalkLabel = "walked-by";

    /// <summary>The verbs a subresource may list, and the method each is requested with.</summary>
    private static readonly (string Verb, HttpMethod Method)[] SubresourceVerbs =
        [("get", HttpMethod.Get), ("update", HttpMethod.Put), ("patch", HttpMethod.Patch), ("create", HttpMethod.Post), ("delete", HttpMethod.Delete)];

    /// <summary>What GET on each subresource that serves it answers, beyond 200: one entry per subresource name any kind may list.</summary>
    /// <summary>The subresources that answer only an upgraded connection (WebSocket, SPDY).</summary>
    private static readonly HashSet<string> StreamingSubresources = new(StringComparer.Ordinal)
    {
        Subresource.Exec.Name, Subresource.Attach.Name, Subresource.PortForward.Name,
    };

    private static readonly Dictionary<string, Action<Walk, JsonNode, ApiResponse>> SubresourceGets = new(StringComparer.Ordinal)
    {
        ["status"] = (walk, current, response) =>
            Assert.True(JsonNode.DeepEquals(current, response.Json), $"GET {walk.Type.Plural}/status should answer the object itself, as GET {walk.Type.Plural}/{walk.Name} does.\nobject: {current.ToJsonString()}\nstatus: {response.Body}"),
        ["ephemeralcontainers"] = (walk, current, response) =>
            Assert.True(JsonNode.DeepEquals(current, response.Json), $"GET {walk.Type.Plural}/ephemeralcontainers should answer the pod itself.\nobject: {current.ToJsonString()}\nanswer: {response.Body}"),
        ["scale"] = (walk, _, response) =>
        {
            var scale = response.Json;
            Assert.Equal(("autoscaling/v1", "Scale"), (Text(scale["apiVersion"]), Text(scale["kind"])));
            Assert.Equal(walk.Name, Text(scale["metadata"]?["name"]));
        },
        ["log"] = (walk, _, response) =>
            Assert.True(response.ContentType?.StartsWith("text/plain", StringComparison.Ordinal) == true, $"GET {walk.Type.Plural}/log should answer text/plain, not {response.ContentType}: {response.Body}"),
    };

    /// <summary>Gets every built-in kind, by group-resource; the test reads each one's descriptor from the host.</summary>
    public static TheoryData<string> Kinds { get; } = new(Walked);

    private static IEnumerable<string> Walked => BuiltInKinds.All.Select(k => k.Type.GroupResource);

    [Fact]
    public async Task The_walk_covers_every_kind_the_host_serves()
    {
        await using var api = await ApiHost.StartAsync();

        var served = api.Kinds.All.Select(k => k.Type.GroupResource).Order(StringComparer.Ordinal);

        Assert.Equal(served, Walked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_sample_is_of_a_served_kind_and_named()
    {
        await using var api = await ApiHost.StartAsync();

        foreach (var (groupResource, sample) in KindSamples.ByGroupResource)
        {
            var kind = api.Kinds.Find(groupResource);
            Assert.True(kind is not null, $"KindSamples has a sample for {groupResource}, which the server does not serve: remove it, or spell it as the group-resource (plural.group).");
            var json = JsonNode.Parse(sample.Json)!;
            Assert.Equal((kind.Type.ApiVersion, kind.Type.Kind), (Text(json["apiVersion"]), Text(json["kind"])));
            Assert.False(string.IsNullOrEmpty(Text(json["metadata"]?["name"])), $"the sample of {groupResource} needs a metadata.name");
            Assert.Null(json["metadata"]?["namespace"]);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Discovery_describes_the_kind_as_its_descriptor_does(string kind)
    {
        await using var api = await ApiHost.StartAsync();
        var descriptor = Descriptor(api, kind);
        var type = descriptor.Type;

        var resources = (await api.GetAsync(Prefix(type))).AssertOk().Json;
        var aggregated = (await api.GetAsync(type.Group.Length == 0 ? "/api" : "/apis", AggregatedV2 + ",application/json")).AssertOk();
        var versions = (await api.GetAsync("/api")).AssertOk().Json;
        var groups = (await api.GetAsync("/apis")).AssertOk().Json;
        var openApiIndex = (await api.GetAsync("/openapi/v3")).AssertOk().Json;

        // Legacy: /api/v1 or /apis/{group}/{version}.
        var legacy = Prefix(type);
        Same(legacy, "kind and groupVersion", ("APIResourceList", type.ApiVersion), (Text(resources["kind"]), Text(resources["groupVersion"])));
        var entries = resources["resources"]!.AsArray().Select(r => r!).ToList();
        var entry = entries.SingleOrDefault(r => Text(r["name"]) == type.Plural);
        Assert.True(entry is not null, $"{legacy} does not list {type.Plural}: {resources.ToJsonString()}");
        var where = $"{legacy} {type.Plural}";
        Same(where, "singularName", type.Singular, Text(entry["singularName"]));
        Same(where, "namespaced", type.Namespaced, entry["namespaced"]?.GetValue<bool>());
        Same(where, "kind", type.Kind, Text(entry["kind"]));
        Same(where, "verbs", KindDescriptor.Verbs, Strings(entry["verbs"]));
        Same(where, "shortNames", type.ShortNames, Strings(entry["shortNames"]));
        Same(where, "categories", descriptor.Categories, Strings(entry["categories"]));
        Same(
            legacy,
            $"the subresources of {type.Plural}",
            descriptor.Subresources.Select(s => type.Plural + "/" + s.Name).Order(StringComparer.Ordinal),
            entries.Select(r => Text(r["name"])!).Where(n => n.StartsWith(type.Plural + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var sub in descriptor.Subresources)
        {
            var subEntry = entries.Single(r => Text(r["name"]) == type.Plural + "/" + sub.Name);
            var subWhere = $"{legacy} {type.Plural}/{sub.Name}";
            Same(subWhere, "verbs", sub.Verbs, Strings(subEntry["verbs"]));
            Same(subWhere, "namespaced", type.Namespaced, subEntry["namespaced"]?.GetValue<bool>());
            SubresourceKind(subWhere, sub, Text(subEntry["group"]), Text(subEntry["version"]), Text(subEntry["kind"]));
        }

        // Aggregated: /api or /apis as APIGroupDiscoveryList, the media type echoed.
        var aggregatedPath = type.Group.Length == 0 ? "/api" : "/apis";
        Same(aggregatedPath, "Content-Type", AggregatedV2, aggregated.ContentType?.Replace(" ", string.Empty, StringComparison.Ordinal));
        var groupItem = aggregated.Json["items"]!.AsArray().SingleOrDefault(i => (Text(i!["metadata"]?["name"]) ?? string.Empty) == type.Group);
        Assert.True(groupItem is not null, $"aggregated discovery ({aggregatedPath}) has no group \"{type.Group}\": {aggregated.Body}");
        var versionItem = groupItem["versions"]!.AsArray().SingleOrDefault(v => Text(v!["version"]) == type.Version);
        Assert.True(versionItem is not null, $"aggregated discovery ({aggregatedPath}) has no version {type.ApiVersion}: {aggregated.Body}");
        var resource = versionItem["resources"]!.AsArray().SingleOrDefault(r => Text(r!["resource"]) == type.Plural);
        Assert.True(resource is not null, $"aggregated discovery ({aggregatedPath}) does not list {type.Plural} in {type.ApiVersion}: {aggregated.Body}");
        where = $"aggregated {aggregatedPath} {type.Plural}";
        Same(where, "scope", type.Namespaced ? "Namespaced" : "Cluster", Text(resource["scope"]));
        Same(where, "responseKind", (type.Group, type.Version, type.Kind), (Text(resource["responseKind"]?["group"]), Text(resource["responseKind"]?["version"]), Text(resource["responseKind"]?["kind"])));
        Same(where, "singularResource", type.Singular, Text(resource["singularResource"]));
        Same(where, "verbs", KindDescriptor.Verbs, Strings(resource["verbs"]));
        Same(where, "shortNames", type.ShortNames, Strings(resource["shortNames"]));
        Same(where, "categories", descriptor.Categories, Strings(resource["categories"]));
        var subresources = resource["subresources"]?.AsArray().Select(s => s!).ToList() ?? [];
        Same(
            where,
            "subresources",
            descriptor.Subresources.Select(s => s.Name).Order(StringComparer.Ordinal),
            subresources.Select(s => Text(s["subresource"])!).Order(StringComparer.Ordinal));
        foreach (var sub in descriptor.Subresources)
        {
            var subItem = subresources.Single(s => Text(s["subresource"]) == sub.Name);
            var subWhere = $"{where}/{sub.Name}";
            Same(subWhere, "verbs", sub.Verbs, Strings(subItem["verbs"]));
            SubresourceKind(subWhere + " responseKind", sub, Text(subItem["responseKind"]?["group"]), Text(subItem["responseKind"]?["version"]), Text(subItem["responseKind"]?["kind"]));
        }

        // The group (or the core version) is announced.
        if (type.Group.Length == 0)
        {
            Assert.Contains(type.Version, Strings(versions["versions"]));
        }
        else
        {
            var group = groups["groups"]!.AsArray().SingleOrDefault(g => Text(g!["name"]) == type.Group);
            Assert.True(group is not null, $"/apis does not list the group {type.Group}: {groups.ToJsonString()}");
            Assert.Contains(type.ApiVersion, group["versions"]!.AsArray().Select(v => Text(v!["groupVersion"])));
            var single = (await api.GetAsync("/apis/" + type.Group)).AssertOk().Json;
            Assert.Equal(("APIGroup", type.Group), (Text(single["kind"]), Text(single["name"])));
        }

        // OpenAPI v3: the group-version's document declares the patch kubectl looks for.
        var key = type.Group.Length == 0 ? "api/" + type.Version : $"apis/{type.Group}/{type.Version}";
        var url = Text(openApiIndex["paths"]?[key]?["serverRelativeURL"]);
        Assert.True(url is not null, $"the OpenAPI v3 index has no {key}: {openApiIndex.ToJsonString()}");
        var document = (await api.GetAsync(url)).AssertOk().Json;
        var objectPath = Prefix(type) + (type.Namespaced ? "/namespaces/{namespace}/" : "/") + type.Plural + "/{name}";
        var patch = document["paths"]?[objectPath]?["patch"];
        Assert.True(patch is not null, $"the OpenAPI v3 document {key} has no patch of {objectPath}");
        var gvk = patch["x-kubernetes-group-version-kind"]!;
        Assert.Equal((type.Group, type.Version, type.Kind), (Text(gvk["group"]), Text(gvk["version"]), Text(gvk["kind"])));
        Assert.Contains(patch["parameters"]!.AsArray(), p => Text(p!["name"]) == "fieldValidation" && Text(p["in"]) == "query");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_kind_is_created_read_listed_watched_patched_and_deleted(string kind)
    {
        await using var api = await ApiHost.StartAsync();
        var walk = await Walk.StartAsync(api, kind);
        var type = walk.Type;

        // Create, as kubectl create -f does; a second create of the same name conflicts.
        var created = (await api.PostAsync(walk.Collection + "?fieldManager=kubectl-create&fieldValidation=Strict", walk.Sample.Json)).AssertOk(201).Json;
        Assert.Equal((type.ApiVersion, type.Kind, walk.Name), (Text(created["apiVersion"]), Text(created["kind"]), Text(created["metadata"]?["name"])));
        Assert.Equal(walk.Namespace, Text(created["metadata"]?["namespace"]));
        var uid = Text(created["metadata"]?["uid"]) ?? string.Empty;
        Assert.False(uid.Length == 0, "created without a uid: " + created.ToJsonString());
        Assert.False(string.IsNullOrEmpty(Text(created["metadata"]?["resourceVersion"])), "created without a resourceVersion: " + created.ToJsonString());
        Assert.False(string.IsNullOrEmpty(Text(created["metadata"]?["creationTimestamp"])), "created without a creationTimestamp: " + created.ToJsonString());
        var again = (await api.PostAsync(walk.Collection, walk.Sample.Json)).AssertStatus(409, "AlreadyExists");
        Assert.Equal($"{type.GroupResource} \"{walk.Name}\" already exists", again.Message);

        // Get: what create answered; a missing name is a NotFound naming the group-resource.
        var got = (await api.GetAsync(walk.Object)).AssertOk().Json;
        Assert.True(JsonNode.DeepEquals(created, got), $"GET answered another object than create did.\ncreate: {created.ToJsonString()}\nget:    {got.ToJsonString()}");
        var missing = (await api.GetAsync(walk.Collection + "/missing")).AssertStatus(404, "NotFound");
        Assert.Equal($"{type.GroupResource} \"missing\" not found", missing.Message);
        Assert.Equal((type.Plural, type.Group.Length == 0 ? null : type.Group, "missing"), (Text(missing.Json["details"]?["kind"]), Text(missing.Json["details"]?["group"]), Text(missing.Json["details"]?["name"])));

        // List, as kubectl get -o json and the C# client do.
        var list = (await api.GetAsync(walk.Collection + "?watch=false")).AssertOk().Json;
        Assert.Equal((type.ListKind, type.ApiVersion), (Text(list["kind"]), Text(list["apiVersion"])));
        var listVersion = Text(list["metadata"]?["resourceVersion"]);
        Assert.False(string.IsNullOrEmpty(listVersion), "a list without metadata.resourceVersion: " + list.ToJsonString());
        Assert.Contains(uid, list["items"]!.AsArray().Select(i => Text(i!["metadata"]?["uid"])));

        // A field selector on metadata.name, as kubectl delete's wait does.
        var selected = (await api.GetAsync($"{walk.Collection}?fieldSelector=metadata.name%3D{walk.Name}")).AssertOk().Json;
        var none = (await api.GetAsync($"{walk.Collection}?fieldSelector=metadata.name%3Dnot-{walk.Name}")).AssertOk().Json;
        Assert.Equal(new[] { uid }, selected["items"]!.AsArray().Select(i => Text(i!["metadata"]?["uid"])));
        Assert.Empty(none["items"]!.AsArray());

        // List as a Table, as kubectl get does: the descriptor's columns, a full row, metadata for -A and --show-labels.
        var table = (await api.GetAsync($"{walk.Collection}?fieldSelector=metadata.name%3D{walk.Name}&limit=500", TableV1)).AssertOk().Json;
        Assert.Equal(("Table", "meta.k8s.io/v1"), (Text(table["kind"]), Text(table["apiVersion"])));
        Assert.False(string.IsNullOrEmpty(Text(table["metadata"]?["resourceVersion"])), "a Table without metadata.resourceVersion");
        var columns = walk.Kind.Printer.Columns;
        Same(
            $"the Table of {type.GroupResource}",
            "columnDefinitions",
            columns.Select(c => $"{c.Name} ({c.Type}, format \"{c.Format}\", priority {c.Priority}): {c.Description}"),
            table["columnDefinitions"]!.AsArray().Select(c => $"{Text(c!["name"])} ({Text(c["type"])}, format \"{Text(c["format"])}\", priority {Text(c["priority"])}): {Text(c["description"])}"));
        var row = Assert.Single(table["rows"]!.AsArray())!;
        var cells = row["cells"]!.AsArray();
        Assert.True(cells.Count == columns.Count, $"a {type.Kind} row has {cells.Count} cells for {columns.Count} columns ({string.Join(", ", columns.Select(c => c.Name))}): {cells.ToJsonString()}");
        var nameColumn = columns.ToList().FindIndex(c => c.Format == "name");
        Assert.True(nameColumn >= 0, $"{type.GroupResource} prints no column of format \"name\"");
        Assert.Equal(walk.Name, Text(cells[nameColumn]));
        var rowObject = row["object"]!;
        Assert.Equal(("PartialObjectMetadata", "meta.k8s.io/v1"), (Text(rowObject["kind"]), Text(rowObject["apiVersion"])));
        Assert.Equal((walk.Name, walk.Namespace, uid), (Text(rowObject["metadata"]?["name"]), Text(rowObject["metadata"]?["namespace"]), Text(rowObject["metadata"]?["uid"])));

        // Watch from the list's resourceVersion, then a merge patch adding a label: one MODIFIED.
        await using (var watch = await WatchStream.OpenAsync(api, $"{walk.Collection}?watch=true&resourceVersion={listVersion}"))
        {
            var patched = (await api.PatchAsync(walk.Object, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [WalkLabel] = "test" } } }.ToJsonString(), MergePatch)).AssertOk().Json;
            var modified = await watch.NextAsync();

            Assert.Equal(200, watch.Code);
            Assert.Equal("test", Text(patched["metadata"]?["labels"]?[WalkLabel]));
            Assert.Equal(("MODIFIED", type.Kind, walk.Name), (Text(modified["type"]), Text(modified["object"]?["kind"]), Text(modified["object"]?["metadata"]?["name"])));
            Assert.Equal("test", Text(modified["object"]?["metadata"]?["labels"]?[WalkLabel]));
            Assert.Equal(Text(patched["metadata"]?["resourceVersion"]), Text(modified["object"]?["metadata"]?["resourceVersion"]));
        }

        // Delete as kubectl does: removed at once (the object or a Status, per the kind), or marked and then finished.
        var deleted = (await api.DeleteAsync(walk.Object, """{"propagationPolicy":"Background"}""")).AssertOk().Json;
        var afterDelete = await api.GetAsync(walk.Object);
        if (afterDelete.Code == 200)
        {
            Assert.True(walk.Sample.FinishDeletion is not null, $"DELETE marked {type.GroupResource} \"{walk.Name}\" instead of removing it: use a sample in KindSamples.cs that is removed at once, or give it the FinishDeletion its controller does.\nafter delete: {afterDelete.Body}");
            Assert.Equal((type.Kind, uid), (Text(deleted["kind"]), Text(deleted["metadata"]?["uid"])));
            Assert.False(string.IsNullOrEmpty(Text(deleted["metadata"]?["deletionTimestamp"])), "a delete that keeps the object answers it marked with a deletionTimestamp: " + deleted.ToJsonString());
            await walk.Sample.FinishDeletion(api, walk.Object);
        }
        else if (walk.Kind.Strategy.ReturnsDeletedObject)
        {
            Assert.Equal((type.Kind, uid), (Text(deleted["kind"]), Text(deleted["metadata"]?["uid"])));
        }
        else
        {
            Assert.Equal(("Status", "Success"), (Text(deleted["kind"]), Text(deleted["status"])));
            Assert.Equal((walk.Name, type.Plural, uid), (Text(deleted["details"]?["name"]), Text(deleted["details"]?["kind"]), Text(deleted["details"]?["uid"])));
        }

        (await api.GetAsync(walk.Object)).AssertStatus(404, "NotFound");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_subresource_answers_the_verbs_it_lists_and_refuses_the_rest(string kind)
    {
        await using var api = await ApiHost.StartAsync();
        var walk = await Walk.StartAsync(api, kind);
        (await api.PostAsync(walk.Collection, walk.Sample.Json)).AssertOk(201);

        // The proxy takes every method through to a backend, so it answers what the backend answers: ProxyTests cover it.
        foreach (var sub in walk.Kind.Subresources.Where(s => s.Name != Subresource.Proxy.Name))
        {
            var url = walk.Object + "/" + sub.Name;
            foreach (var (verb, method) in SubresourceVerbs)
            {
                var what = $"{method} {walk.Type.Plural}/{sub.Name}";
                var current = (await api.GetAsync(walk.Object)).AssertOk().Json;

                // An update sends back what the subresource shows: the object for most, a Scale for scale.
                var shown = sub.Verbs.Contains("get") && sub.Name == Subresource.Scale.Name ? (await api.GetAsync(url)).AssertOk().Json : current;
                var response = method == HttpMethod.Get ? await api.GetAsync(url)
                    : method == HttpMethod.Put ? await api.PutAsync(url, shown.ToJsonString())
                    : method == HttpMethod.Patch ? await api.PatchAsync(url, "{}", MergePatch)
                    : await api.SendAsync(method, url, "{}");
                if (!sub.Verbs.Contains(verb))
                {
                    Assert.True(response.Code == 405, $"{what} is not a verb {walk.Type.GroupResource}/{sub.Name} lists, so it should be 405 MethodNotAllowed, not {response.Code}: {response.Body}");
                    response.AssertStatus(405, "MethodNotAllowed");
                    continue;
                }

                Assert.False(response.Code == 405, $"{what} lists {verb} but answered 405: no handler serves it: {response.Body}");
                Assert.False(response.Code == 404 && response.Body.Contains("the server could not find the requested resource", StringComparison.Ordinal), $"{what} lists {verb} but is not routed: {response.Body}");
                Assert.True(response.Code < 500, $"{what} failed: {response.Code} {response.Body}");
                if (StreamingSubresources.Contains(sub.Name))
                {
                    // exec, attach, portforward: a plain request (no upgrade, the sample pod not running) is a 400 Status.
                    response.AssertStatus(400, "BadRequest");
                }
                else if (verb == "get")
                {
                    response.AssertOk();
                    Assert.True(SubresourceGets.TryGetValue(sub.Name, out var check), $"{walk.Type.GroupResource}/{sub.Name} serves get, and EveryKindIsServedTests does not know what GET {sub.Name} answers: add it to SubresourceGets there.");
                    check(walk, current, response);
                }
                else if (verb is "update" or "patch")
                {
                    response.AssertOk();
                }
            }
        }

        (await api.GetAsync(walk.Object + "/no-such-subresource")).AssertStatus(404, "NotFound");
    }

    /// <summary>Asserts a value a document shows, saying which document and field differ.</summary>
    private static void Same(string where, string field, object? expected, object? actual)
    {
        var (wanted, got) = (Show(expected), Show(actual));
        if (wanted == got)
        {
            return;
        }

        var first = string.Empty;
        if (expected is IEnumerable<string> expectedItems && actual is IEnumerable<string> actualItems)
        {
            var (e, a) = (expectedItems.ToList(), actualItems.ToList());
            var i = Enumerable.Range(0, Math.Min(e.Count, a.Count)).FirstOrDefault(n => e[n] != a[n], Math.Min(e.Count, a.Count));
            first = $" (first difference at [{i}]: {(i < e.Count ? Show(e[i]) : "nothing")} expected, {(i < a.Count ? Show(a[i]) : "nothing")} found)";
        }

        Assert.Fail($"{where}: {field} should be {wanted}, is {got}{first}");
    }

    /// <summary>
    /// Asserts the kind a subresource's discovery entry names: <c>scale</c> must name <c>autoscaling/v1 Scale</c>
    /// (kubectl's scale client reads it from discovery to decode and encode the subresource); the others
    /// name some kind.
    /// </summary>
    private static void SubresourceKind(string where, Subresource sub, string? group, string? version, string? kind)
    {
        if (sub.Name == Subresource.Scale.Name)
        {
            Same(where, "group, version and kind", ("autoscaling", "v1", "Scale"), (group, version, kind));
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(kind), $"{where}: names no kind");
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "(absent)",
        string text => "\"" + text + "\"",
        bool flag => flag ? "true" : "false",
        System.Runtime.CompilerServices.ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Show(tuple[i]))) + ")",
        IEnumerable<string> items => "[" + string.Join(", ", items.Select(Show)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static KindDescriptor Descriptor(ApiHost api, string groupResource) =>
        api.Kinds.Find(groupResource) ?? throw new InvalidOperationException($"the host's KindRegistry does not serve {groupResource}");

    private static string Prefix(ResourceType type) => type.Group.Length == 0 ? "/api/" + type.Version : $"/apis/{type.Group}/{type.Version}";

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();

    private static List<string> Strings(JsonNode? array) => array is null ? [] : [.. array.AsArray().Select(n => n!.GetValue<string>())];

    /// <summary>One kind being walked: its descriptor as the host serves it, its sample, and where it lives.</summary>
    private sealed record Walk(KindDescriptor Kind, KindSamples.Sample Sample, string Name, string? Namespace, string Collection)
    {
        public ResourceType Type => Kind.Type;

        public string Object => Collection + "/" + Name;

        /// <summary>Finds the kind in the host's registry and its sample, and for a namespaced kind creates a fresh namespace through the API.</summary>
        public static async Task<Walk> StartAsync(ApiHost api, string groupResource)
        {
            var kind = Descriptor(api, groupResource);
            if (!KindSamples.ByGroupResource.TryGetValue(groupResource, out var sample))
            {
                Assert.Fail(
                    $"{groupResource} ({kind.Type.ApiVersion} {kind.Type.Kind}) is registered but has no sample to walk: add a minimal valid {kind.Type.Kind} " +
                    $"under [\"{groupResource}\"] in KindSamples (tests/DurableKube.Api.Tests/Kinds/KindSamples.cs), so EveryKindIsServedTests checks it is served end to end.");
            }

            var name = Text(JsonNode.Parse(sample.Json)?["metadata"]?["name"]) ?? throw new InvalidOperationException($"the sample of {groupResource} has no metadata.name");
            string? ns = null;
            if (kind.Type.Namespaced)
            {
                ns = "walk-" + groupResource.Replace('.', '-');
                ns = ns.Length > 63 ? ns[..63].TrimEnd('-') : ns;
                (await api.PostAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""")).AssertOk(201);
            }

            var collection = Prefix(kind.Type) + (ns is null ? "/" : $"/namespaces/{ns}/") + kind.Type.Plural;
            return new Walk(kind, sample, name, ns, collection);
        }
    }
}
