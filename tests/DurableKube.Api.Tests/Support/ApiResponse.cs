using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace DurableKube.Api.Tests.Support;

/// <summary>An answer of the API under test: status, headers and the body as text and JSON.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, string Body, string? ContentType, HttpResponseHeaders Headers)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    public string? Message => Json["message"]?.GetValue<string>();

    public string? Reason => Json["reason"]?.GetValue<string>();

    public IEnumerable<string> Warnings => Headers.TryGetValues("Warning", out var values) ? values : [];

    /// <summary>Asserts the answer is a Failure Status with this code and reason.</summary>
    public ApiResponse AssertStatus(int code, string reason)
    {
        Assert.True(code == Code, $"expected {code}, got {Code}: {Body}");
        var json = Json;
        Assert.Equal("Status", json["kind"]?.GetValue<string>());
        Assert.Equal("v1", json["apiVersion"]?.GetValue<string>());
        Assert.Equal("Failure", json["status"]?.GetValue<string>());
        Assert.Equal(reason, json["reason"]?.GetValue<string>());
        Assert.Equal(code, json["code"]?.GetValue<int>());
        return this;
    }

    public ApiResponse AssertOk(int code = 200)
    {
        Assert.True(code == Code, $"expected {code}, got {Code}: {Body}");
        return this;
    }
}
