using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Api.Auth;
using DurableKube.Api.Tests.Support;
using DurableKube.Api.Watch;
using DurableKube.Domain.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DurableKube.Api.Tests.Resources;

/// <summary>The API's limits (<see cref="KubernetesApiOptions"/>): each answers a Status with the API server's code.</summary>
public sealed class LimitsTests
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task A_client_beyond_its_watches_gets_429_with_Retry_After_until_one_of_them_ends()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:MaxWatchesPerClient"] = "3" });
        var watches = new List<WatchStream>();
        for (var i = 0; i < 3; i++)
        {
            watches.Add(await WatchStream.OpenAsync(api, Pods + "?watch=true"));
            Assert.Equal(200, watches[^1].Code);
        }

        var refused = (await api.GetAsync(Pods + "?watch=true")).AssertStatus(429, "TooManyRequests");
        Assert.Equal(1, (int?)refused.Json["details"]?["retryAfterSeconds"]);
        Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Contains("3 watches open", refused.Message, StringComparison.Ordinal);
        (await api.GetAsync(Pods)).AssertOk(); // a list is not a watch

        await watches[0].DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        WatchStream? again = null;
        while (again is null)
        {
            var attempt = await WatchStream.OpenAsync(api, Pods + "?watch=true");
            if (attempt.Code == 200)
            {
                again = attempt;
            }
            else
            {
                await attempt.DisposeAsync();
                Assert.True(DateTime.UtcNow < deadline, "a closed watch never gave its slot back");
                await Task.Delay(100);
            }
        }

        await again.DisposeAsync();
        foreach (var watch in watches.Skip(1))
        {
            await watch.DisposeAsync();
        }
    }

    [Fact]
    public void Watches_are_counted_per_user_or_per_address_when_authentication_is_off()
    {
        var alice = new DefaultHttpContext();
        alice.Items[typeof(ApiUser)] = ApiUser.Of("alice", null, [], ApiRole.Admin);
        var open = new DefaultHttpContext();
        open.Items[typeof(ApiUser)] = ApiGate.Open;
        open.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("127.0.0.9");

        Assert.Equal("user \"alice\"", WatchLimiter.ClientOf(alice));
        Assert.Equal("address 127.0.0.9", WatchLimiter.ClientOf(open));
    }

    [Fact]
    public async Task A_huge_limit_is_capped_with_a_continue_token_and_paging_still_returns_every_pod_once()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:MaxListLimit"] = "5" });
        for (var i = 0; i < 12; i++)
        {
            await api.CreatePodAsync($"p{i:00}");
        }

        var names = new List<string>();
        var url = Pods + "?limit=1000000000000";
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10, "paging did not end");
            var page = (await api.GetAsync(url)).AssertOk().Json;
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 5);
            names.AddRange(items.Select(p => (string)p!["metadata"]!["name"]!));
            var next = (string?)page["metadata"]?["continue"];
            if (string.IsNullOrEmpty(next))
            {
                break;
            }

            url = Pods + "?limit=1000000000000&continue=" + Uri.EscapeDataString(next);
        }

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"p{i:00}"), names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public async Task A_limit_of_zero_or_less_is_no_limit(string limit)
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:MaxListLimit"] = "5" });
        for (var i = 0; i < 7; i++)
        {
            await api.CreatePodAsync($"p{i}");
        }

        var list = (await api.GetAsync(Pods + "?limit=" + limit)).AssertOk().Json;

        Assert.Equal(7, list["items"]!.AsArray().Count);
        Assert.True(string.IsNullOrEmpty((string?)list["metadata"]?["continue"]));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999999999999999999")]
    [InlineData("1.5")]
    public async Task A_limit_that_is_not_an_integer_is_400(string limit)
    {
        await using var api = await ApiHost.StartAsync();

        (await api.GetAsync(Pods + "?limit=" + limit)).AssertStatus(400, "BadRequest");
    }

    [Fact]
    public async Task Headers_over_the_limit_get_431_and_under_it_are_served()
    {
        await using var api = await ApiHost.StartAsync(new() { ["KubernetesApi:MaxRequestHeaderBytes"] = "8192" });

        using var small = new HttpRequestMessage(HttpMethod.Get, Pods);
        small.Headers.TryAddWithoutValidation("X-Padding", new string('a', 4000));
        using var fine = await api.Client.SendAsync(small);
        Assert.Equal(200, (int)fine.StatusCode);

        using var big = new HttpRequestMessage(HttpMethod.Get, Pods);
        big.Headers.TryAddWithoutValidation("X-Padding", new string('a', 9000));
        using var refused = await api.Client.SendAsync(big);
        var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(431, (int)refused.StatusCode);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("RequestHeaderFieldsTooLarge", (string?)status["reason"]);

        // A long query counts too.
        (await api.GetAsync(Pods + "?labelSelector=" + new string('a', 9000))).AssertStatus(431, "RequestHeaderFieldsTooLarge");
    }

    [Theory]
    [InlineData(408, "Timeout")]
    [InlineData(413, "RequestEntityTooLarge")]
    [InlineData(400, "BadRequest")]
    public async Task A_body_the_server_refuses_while_reading_it_is_a_Status_not_a_500(int code, string reason)
    {
        await using var api = await ApiHost.StartAsync();
        var context = new DefaultHttpContext { RequestServices = api.Services };
        context.Request.Method = "POST";
        context.Request.Path = Pods;
        context.Request.ContentType = "application/json";
        context.Request.Body = new FailingStream(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", code));
        using var response = new MemoryStream();
        context.Response.Body = response;

        await api.Services.GetRequiredService<KubernetesApi>().HandleAsync(context);

        var status = JsonNode.Parse(Encoding.UTF8.GetString(response.ToArray()))!;
        Assert.Equal(code, context.Response.StatusCode);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal(code, (int?)status["code"]);
    }

    [Theory]
    [InlineData("application/json", 200)]
    [InlineData("application/json", 100_000)]
    [InlineData("application/yaml", 200)]
    [InlineData("application/yaml", 1_000_000)]
    public async Task Nesting_deeper_than_the_limit_is_400(string contentType, int depth)
    {
        await using var api = await ApiHost.StartAsync();
        var body = contentType == "application/json"
            ? "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"deep\",\"annotations\":" + new string('[', depth) + new string(']', depth) + "}}"
            : "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\n  annotations: " + new string('[', depth) + new string(']', depth) + "\n";

        var response = (await api.SendAsync(HttpMethod.Post, Pods, body, contentType)).AssertStatus(400, "BadRequest");

        Assert.Contains("depth", response.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await api.CountAsync(Domain.Resources.ResourceTypes.Pods));
    }

    /// <summary>A request body whose read fails as Kestrel's does for a slow, oversized or cut-short body.</summary>
    private sealed class FailingStream(Exception failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw failure;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromException<int>(failure);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
