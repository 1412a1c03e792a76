using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DurableKube.LocalHost.Tests;

/// <summary>Bad requests against the real host: each gets the right Status, nothing is stored, and the host keeps serving.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class HostileInputTests(LocalHostFixture host)
{
    public static TheoryData<string, string, string, HttpStatusCode, string> Requests => new()
    {
        { "malformed JSON", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",", HttpStatusCode.BadRequest, "BadRequest" },
        { "malformed YAML", "application/yaml", "apiVersion: v1\nkind: Pod\nmetadata: [unclosed", HttpStatusCode.BadRequest, "BadRequest" },
        { "wrong kind", "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"}}", HttpStatusCode.BadRequest, "BadRequest" },
        { "bad name", "application/json", Pod("Not_A_DNS_Name"), (HttpStatusCode)422, "Invalid" },
        { "unknown field, strict", "application/json", Pod("strict-one").Replace("\"spec\":{", "\"spec\":{\"bogus\":1,", StringComparison.Ordinal), HttpStatusCode.BadRequest, "BadRequest" },
        { "unsupported content type", "text/plain", Pod("plain-one"), HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType" },
        { "oversized body", "application/json", Pod("huge-one").Replace("\"metadata\":{", "\"metadata\":{\"annotations\":{\"a\":\"" + new string('x', 4 * 1024 * 1024) + "\"},", StringComparison.Ordinal), HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_bad_create_gets_the_right_Status_and_stores_nothing(string what, string contentType, string body, HttpStatusCode code, string reason)
    {
        using var http = host.CreateHttpClient();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await http.PostAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", content);

        Assert.True(code == response.StatusCode, $"{what}: expected {code}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal(reason, status.RootElement.GetProperty("reason").GetString());
        Assert.Equal((int)code, status.RootElement.GetProperty("code").GetInt32());

        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/namespaces/default/pods"));
        Assert.DoesNotContain(list.RootElement.GetProperty("items").EnumerateArray(), p => p.GetProperty("metadata").GetProperty("name").GetString()!.EndsWith("-one", StringComparison.Ordinal));
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
    }

    private static string Pod(string name) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"command\":[\"true\"]}]}}";
}
