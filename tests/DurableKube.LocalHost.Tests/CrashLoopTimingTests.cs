using k8s;
using System.Globalization;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>The crash-loop back-off, scaled down to 1 s doubling to 4 s, measured from outside.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class CrashLoopTimingTests(LocalHostFixture host, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_crashing_container_restarts_after_0_1_2_4_4_seconds_and_never_early()
    {
        using var client = host.CreateClient();
        var ns = E2E.UniqueNamespace("timing");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        // Each run records when it started (the runs are host processes, so they can write here) and fails at once.
        var starts = Path.Combine(host.Scratch, $"starts-{Guid.NewGuid():N}.txt");
        await client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "timed" },
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Always",
                    Containers = [new V1Container { Name = "app", Image = "busybox:1.36", Command = ["sh", "-c", $"date +%s.%N >> {starts}; exit 1"] }],
                },
            },
            ns);

        var times = await Eventually.WaitAsync(
            () => Task.FromResult(File.Exists(starts) ? File.ReadAllLines(starts).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList() : []),
            t => t.Count >= 6,
            TimeSpan.FromSeconds(60),
            "six runs");
        await client.CoreV1.DeleteNamespacedPodAsync("timed", ns);

        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).Take(5).ToList();
        output.WriteLine("gaps between starts: " + string.Join(", ", gaps.Select(g => g.ToString("F3", CultureInfo.InvariantCulture))));
        double[] expected = [0, 1, 2, 4, 4];
        for (var i = 0; i < expected.Length; i++)
        {
            // Never early: a gap (start to start) holds the whole back-off plus the run itself.
            Assert.True(gaps[i] >= expected[i], $"restart {i + 1} came after {gaps[i]:F3}s, before its {expected[i]}s back-off; gaps: {string.Join(", ", gaps.Select(g => g.ToString("F3", CultureInfo.InvariantCulture)))}");
            // And not much late: the workflow acts when the durable timer fires.
            Assert.True(gaps[i] <= expected[i] + 1.5, $"restart {i + 1} came after {gaps[i]:F3}s, expected about {expected[i]}s; gaps: {string.Join(", ", gaps.Select(g => g.ToString("F3", CultureInfo.InvariantCulture)))}");
        }
    }
}
