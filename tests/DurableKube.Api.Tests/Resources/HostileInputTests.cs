using System.Text;
using DurableKube.Api.Tests.Support;
using DurableKube.Domain.Resources;

namespace DurableKube.Api.Tests.Resources;

public class HostileInputTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    public static TheoryData<string, string, int, string, string> Bodies => new()
    {
        { "truncated json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",", 400, "BadRequest", "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error:" },
        { "empty body", string.Empty, 400, "BadRequest", "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)" },
        { "array body", "[1,2]", 400, "BadRequest", "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct" },
        { "numeric kind", "{\"kind\":5}", 400, "BadRequest", "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string" },
        { "wrong field type", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":\"x\"}}", 400, "BadRequest", "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec.containers of type []v1.Container" },
        { "wrong scalar type", "{\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{\"containerPort\":\"eighty\"}]}]}}", 400, "BadRequest", "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field Pod.spec.containers[0].ports[0].containerPort of type int32" },
        { "bad quantity", "{\"metadata\":{\"name\":\"a\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"limits\":{\"cpu\":\"lots\"}}}]}}", 400, "BadRequest", "Pod in version \"v1\" cannot be handled as a Pod:" },
        { "deep nesting", new string('[', 5000) + new string(']', 5000), 400, "BadRequest", "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error:" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_json_is_refused_and_nothing_is_stored(string name, string body, int code, string reason, string messageStart)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.SendAsync(HttpMethod.Post, Pods, body)).AssertStatus(code, reason);

        Assert.True(response.Message!.StartsWith(messageStart, StringComparison.Ordinal), $"{name}: {response.Message}");
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
        (await api.GetAsync("/version")).AssertOk();
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")]
    [InlineData("a: 1\n---\nb: 2\n")]
    [InlineData("metadata: {name: a}\n  bad indent: x\n")]
    [InlineData("? [complex, key]\n: value\n")]
    [InlineData("value: .inf\n")]
    public async Task Malformed_yaml_is_refused(string yaml)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.SendAsync(HttpMethod.Post, Pods, yaml, "application/yaml")).AssertStatus(400, "BadRequest");

        Assert.Contains("error converting YAML to JSON", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Fact]
    public async Task A_yaml_alias_bomb_is_refused()
    {
        await using var api = await ApiHost.StartAsync();
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            var previous = (char)('a' + i - 1);
            var current = (char)('a' + i);
            yaml.Append(current).Append(": &").Append(current).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        var response = (await api.SendAsync(HttpMethod.Post, Pods, yaml.ToString(), "application/yaml")).AssertStatus(400, "BadRequest");

        Assert.Contains("too large or too deeply aliased", response.Message, StringComparison.Ordinal);
        (await api.GetAsync("/version")).AssertOk();
    }

    [Fact]
    public async Task Yaml_duplicate_keys_are_refused_when_strict()
    {
        await using var api = await ApiHost.StartAsync();
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers:\n  - name: app\n    image: x\n";

        var response = (await api.SendAsync(HttpMethod.Post, Pods + "?fieldValidation=Strict", yaml, "application/yaml")).AssertStatus(400, "BadRequest");

        Assert.EndsWith("strict decoding error: duplicate field \"metadata.name\"", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_3_MiB_is_413()
    {
        await using var api = await ApiHost.StartAsync();
        var body = "{\"metadata\":{\"name\":\"a\",\"annotations\":{\"x\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}}";

        var response = (await api.SendAsync(HttpMethod.Post, Pods, body)).AssertStatus(413, "RequestEntityTooLarge");

        Assert.Equal("Request entity too large: limit is 3145728", response.Message);
        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task Unsupported_content_types_are_415(string contentType)
    {
        await using var api = await ApiHost.StartAsync();

        var response = (await api.SendAsync(HttpMethod.Post, Pods, "{}", contentType)).AssertStatus(415, "UnsupportedMediaType");

        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml", response.Message);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/pods/..%2F..%2Fetc")]
    [InlineData("/api/v1/namespaces/../pods")]
    [InlineData("/api/v1/namespaces/default/pods/a%20b%3Fc")]
    public async Task Odd_paths_get_statuses_not_crashes(string path)
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.GetAsync(path);

        Assert.Contains(response.Code, new[] { 200, 404 });
        Assert.Equal("application/json", response.ContentType);
        (await api.GetAsync("/version")).AssertOk();
    }

    [Theory]
    [InlineData("PUT", "/api/v1/namespaces/default/pods")]
    [InlineData("POST", "/api/v1/namespaces/default/pods/web")]
    [InlineData("PATCH", "/api/v1/pods")]
    public async Task Unsupported_verbs_are_405(string method, string path)
    {
        await using var api = await ApiHost.StartAsync();

        (await api.SendAsync(new HttpMethod(method), path, "{}")).AssertStatus(405, "MethodNotAllowed");
    }

    [Theory]
    [InlineData("fieldValidation=Loose")]
    [InlineData("dryRun=Some")]
    public async Task Bad_write_options_are_400(string query)
    {
        await using var api = await ApiHost.StartAsync();

        (await api.PostAsync(Pods + "?" + query, ApiHost.Pod("web"))).AssertStatus(400, "BadRequest");

        Assert.Equal(0, await api.CountAsync(ResourceTypes.Pods));
    }
}
