using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableKube.Api.Tests.Support;
using DurableKube.Ports.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DurableKube.Api.Tests.Fuzz;

/// <summary>
/// Thousands of generated malformed and adversarial requests (<see cref="RequestFuzzer"/>) against the API in process:
/// every answer is a Kubernetes Status with a 4xx code (never a 5xx, never a hang), nothing is stored or changed, the API
/// keeps serving, and the process's memory stays bounded. The seed is printed; set <c>DURABLEKUBE_FUZZ_SEED</c> to replay
/// a run, <c>DURABLEKUBE_FUZZ_COUNT</c> for more requests.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>The most the process's resident memory may grow over a run (it holds at most a few bodies of 3 to 5 MiB at once).</summary>
    private const long MemoryBoundBytes = 512L * 1024 * 1024;

    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Thousands_of_hostile_requests_get_4xx_Statuses_store_nothing_and_leave_the_API_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DURABLEKUBE_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20261203;
        var count = int.TryParse(Environment.GetEnvironmentVariable("DURABLEKUBE_FUZZ_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : 3000;
        output.WriteLine($"fuzz seed {seed}, {count} requests (DURABLEKUBE_FUZZ_SEED={seed} replays this run)");
        await using var api = await ApiHost.StartAsync();
        var targets = await SeedAsync(api);
        var before = await SnapshotAsync(api);
        var rssBefore = ResidentBytes();

        var fuzzer = new RequestFuzzer(seed, targets);
        var failures = new List<string>();
        var codes = new SortedDictionary<int, int>();
        for (var i = 0; i < count && failures.Count < 20; i++)
        {
            var request = fuzzer.Next();
            var (code, headers, body) = await InvokeAsync(api, request);
            codes[code] = codes.GetValueOrDefault(code) + 1;
            if (Check(code, headers, body) is { } problem)
            {
                failures.Add($"#{i} {request}\n  -> {code}: {problem}: {Truncate(body)}");
            }
        }

        output.WriteLine("codes: " + string.Join(", ", codes.Select(p => $"{p.Key}x{p.Value}")));
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} requests were not refused with a 4xx Status:\n" + string.Join("\n", failures));

        var after = await SnapshotAsync(api);
        Assert.Equal(before, after);
        (await api.GetAsync("/readyz")).AssertOk();
        (await api.GetAsync("/api/v1/namespaces/default/pods")).AssertOk();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var rssAfter = ResidentBytes();
        output.WriteLine($"VmRSS {rssBefore / 1024 / 1024} MiB before, {rssAfter / 1024 / 1024} MiB after");
        Assert.True(rssAfter - rssBefore < MemoryBoundBytes, $"seed {seed}: resident memory grew by {(rssAfter - rssBefore) / 1024 / 1024} MiB (bound {MemoryBoundBytes / 1024 / 1024} MiB)");
    }

    /// <summary>Why an answer is not a 4xx Status for the request, or <see langword="null"/> when it is.</summary>
    private static string? Check(int code, IHeaderDictionary headers, string body)
    {
        if (code is < 400 or > 499)
        {
            return "not a 4xx";
        }

        if (headers.ContainsKey("X-Injected"))
        {
            return "an injected header reached the response";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.GetProperty("kind").GetString() != "Status" || root.GetProperty("status").GetString() != "Failure")
            {
                return "not a Failure Status";
            }

            if (root.GetProperty("code").GetInt32() != code)
            {
                return "the Status's code is not the response's";
            }

            return string.IsNullOrEmpty(root.GetProperty("reason").GetString()) && code != 404 ? "no reason" : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not a Status (" + e.Message + ")";
        }
    }

    /// <summary>Calls the handler directly with a raw context: the path, query and headers reach it exactly as generated.</summary>
    private static async Task<(int Code, IHeaderDictionary Headers, string Body)> InvokeAsync(ApiHost api, FuzzRequest request)
    {
        using var deadline = new CancellationTokenSource(RequestDeadline);
        var context = new DefaultHttpContext { RequestServices = api.Services };
        context.Request.Method = request.Method;
        context.Request.Path = new PathString(request.Path);
        context.Request.QueryString = new QueryString(request.Query.Length == 0 ? null : request.Query);
        foreach (var (name, value) in request.Headers)
        {
            context.Request.Headers.Append(name, value);
        }

        if (request.Body is { } bytes)
        {
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            if (request.ContentType is not null)
            {
                context.Request.ContentType = request.ContentType;
            }
        }

        context.RequestAborted = deadline.Token;
        using var response = new MemoryStream();
        context.Response.Body = response;
        var handled = api.Services.GetRequiredService<KubernetesApi>().HandleAsync(context);
        if (await Task.WhenAny(handled, Task.Delay(RequestDeadline)) != handled)
        {
            throw new TimeoutException($"{request} did not get an answer within {RequestDeadline}");
        }

        await handled;
        return (context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(response.ToArray()));
    }

    /// <summary>Creates the objects the fuzzer updates and patches, and returns each kind's collection, object and a valid body.</summary>
    private static async Task<IReadOnlyDictionary<string, (string, string, JsonObject)>> SeedAsync(ApiHost api)
    {
        var pod = ApiHost.PodJson("target-pod");
        pod["spec"]!["containers"]![0]!["command"] = new JsonArray("sh", "-c", "sleep 1");
        pod["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80, ["name"] = "http" });
        pod["spec"]!["containers"]![0]!["env"] = new JsonArray(new JsonObject { ["name"] = "A", ["value"] = "b" });
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } };
        var rs = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"target-rs","labels":{"app":"t"}},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"t"}},
                     "template":{"metadata":{"labels":{"app":"t"}},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","9"]}]}}}}
            """)!.AsObject();
        var svc = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"target-svc","labels":{"app":"t"}},
             "spec":{"selector":{"app":"t"},"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}}
            """)!.AsObject();
        (await api.PostAsync("/api/v1/namespaces/default/pods", pod.ToJsonString())).AssertOk(201);
        (await api.PostAsync("/apis/apps/v1/namespaces/default/replicasets", rs.ToJsonString())).AssertOk(201);
        (await api.PostAsync("/api/v1/namespaces/default/services", svc.ToJsonString())).AssertOk(201);
        return new Dictionary<string, (string, string, JsonObject)>(StringComparer.Ordinal)
        {
            ["Pod"] = ("/api/v1/namespaces/default/pods", "target-pod", Strip(pod)),
            ["ReplicaSet"] = ("/apis/apps/v1/namespaces/default/replicasets", "target-rs", Strip(rs)),
            ["Service"] = ("/api/v1/namespaces/default/services", "target-svc", Strip(svc)),
        };
    }

    private static JsonObject Strip(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        return copy;
    }

    /// <summary>Every object of every kind the host serves, as kind, namespace, name and resourceVersion.</summary>
    private static async Task<string> SnapshotAsync(ApiHost api)
    {
        var lines = new List<string>();
        foreach (var kind in api.Kinds.All)
        {
            foreach (var item in (await api.Store.ListAsync(kind.Type, null, ListQuery.All)).Items)
            {
                lines.Add($"{kind.Type.Kind} {item.Metadata.NamespaceProperty}/{item.Metadata.Name} rv={item.Metadata.ResourceVersion}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    /// <summary>This process's resident memory (VmRSS in /proc/self/status).</summary>
    internal static long ResidentBytes(int? pid = null)
    {
        foreach (var line in File.ReadLines($"/proc/{(pid?.ToString(CultureInfo.InvariantCulture) ?? "self")}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
