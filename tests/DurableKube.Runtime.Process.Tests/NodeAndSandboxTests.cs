using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Process.Node;
using DurableKube.Runtime.Process.Processes;

namespace DurableKube.Runtime.Process.Tests;

public sealed class NodeAndSandboxTests
{
    [Fact]
    public async Task Sandboxes_get_their_own_loopback_address_and_are_created_once()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        var spec = new SandboxSpec("p1", "default", "web", "node-1");

        var first = await runtime.CreateSandboxAsync(spec);
        var sandboxFile = Path.Combine(root.Path, "pods", "p1", "sandbox.json");
        var written = File.ReadAllText(sandboxFile);
        var second = await runtime.CreateSandboxAsync(spec);

        Assert.Equal(SandboxStatus.Ready("127.1.0.1", "127.0.0.1"), first);
        Assert.Equal(first, second);
        Assert.Equal(written, File.ReadAllText(sandboxFile));
        Assert.True(Directory.Exists(Path.Combine(root.Path, "pods", "p1", "sandbox")));
    }

    [Fact]
    public async Task Pod_addresses_are_unique_kept_across_a_restart_and_freed_on_removal()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();
        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            runtime.CreateSandboxAsync(new SandboxSpec($"p{i}", "default", $"web-{i}", "node-1"))));
        Assert.Equal(20, created.Select(s => s.PodIP).Distinct().Count());
        Assert.All(created, s => Assert.StartsWith("127.1.0.", s.PodIP, StringComparison.Ordinal));
        Assert.All(created, s => Assert.Equal("127.0.0.1", s.HostIP));

        await runtime.DisposeAsync();
        var restarted = root.CreateRuntime();
        var again = await restarted.CreateSandboxAsync(new SandboxSpec("p3", "default", "web-3", "node-1"));
        Assert.Equal(created[3].PodIP, again.PodIP);

        await restarted.RemoveSandboxAsync("p3");
        var taken = new HashSet<string?>(created.Select(s => s.PodIP));
        taken.Remove(created[3].PodIP);
        var fresh = await restarted.CreateSandboxAsync(new SandboxSpec("p-new", "default", "web-new", "node-1"));
        Assert.DoesNotContain(fresh.PodIP, taken);
    }

    [Fact]
    public async Task A_full_pod_range_refuses_a_sandbox_as_a_transient_error()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime(podCidr: "127.1.9.0/30");
        await runtime.CreateSandboxAsync(new SandboxSpec("a", "default", "a", "node-1"));
        await runtime.CreateSandboxAsync(new SandboxSpec("b", "default", "b", "node-1"));

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => runtime.CreateSandboxAsync(new SandboxSpec("c", "default", "c", "node-1")));

        Assert.True(error.Transient);
        Assert.Contains("127.1.9.0/30", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_recorded_before_pod_addresses_keeps_the_hosts_address()
    {
        await using var root = new TestRoot();
        Directory.CreateDirectory(Path.Combine(root.Path, "pods", "old"));
        File.WriteAllText(Path.Combine(root.Path, "pods", "old", "sandbox.json"),
            """{"podUid":"old","namespace":"default","podName":"old","nodeName":"node-1","createdAt":"2026-01-01T00:00:00+00:00"}""");
        var runtime = root.CreateRuntime();

        var status = await runtime.CreateSandboxAsync(new SandboxSpec("old", "default", "old", "node-1"));

        Assert.Equal(SandboxStatus.Ready("127.0.0.1", "127.0.0.1"), status);
    }

    [Fact]
    public async Task Removing_an_unknown_sandbox_does_nothing()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        await runtime.RemoveSandboxAsync("never-created");
    }

    [Fact]
    public async Task Ids_that_are_not_single_path_segments_are_refused()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        await Assert.ThrowsAsync<ArgumentException>(() => runtime.RemoveSandboxAsync(".."));
        await Assert.ThrowsAsync<ArgumentException>(() => runtime.GetContainerAsync(new ContainerRunId("p1", "../x", 0)));
    }

    [Fact]
    public async Task The_node_is_described_in_Kubernetes_words()
    {
        await using var root = new TestRoot();
        var runtime = root.CreateRuntime();

        var node = await runtime.DescribeNodeAsync();

        Assert.Equal("127.0.0.1", node.InternalIP);
        Assert.Equal("linux", node.OperatingSystem);
        Assert.Contains(node.Architecture, new[] { "amd64", "arm64" });
        // The machine's online CPUs, not ProcessorCount (the tests run with DOTNET_PROCESSOR_COUNT=64).
        Assert.Equal(File.ReadAllText("/proc/cpuinfo").Split('\n').Count(l => l.StartsWith("processor", StringComparison.Ordinal)).ToString(System.Globalization.CultureInfo.InvariantCulture), node.Capacity["cpu"]);
        Assert.NotNull(node.Allocatable);
        Assert.Equal(node.Capacity["cpu"], node.Allocatable["cpu"]);
        Assert.Equal("110", node.Allocatable["pods"]);
        Assert.Equal(long.Parse(node.Capacity["memory"][..^2], System.Globalization.CultureInfo.InvariantCulture) - (100 * 1024), long.Parse(node.Allocatable["memory"][..^2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches("^[0-9]+Ki$", node.Capacity["memory"]);
        Assert.Matches("^[0-9]+Ki$", node.Capacity["ephemeral-storage"]);
        Assert.Equal("110", node.Capacity["pods"]);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), node.KernelVersion);
        Assert.False(string.IsNullOrWhiteSpace(node.OsImage));
        Assert.DoesNotContain("\"", node.OsImage, StringComparison.Ordinal);
        Assert.Matches(@"^process://\d+\.\d+\.\d+$", node.ContainerRuntimeVersion);
        Assert.False(string.IsNullOrWhiteSpace(node.Hostname));
    }

    [Theory]
    [InlineData("0-1\n", 2)]
    [InlineData("0", 1)]
    [InlineData("0-3,8-11", 8)]
    [InlineData("0,2,4-5", 4)]
    [InlineData("", null)]
    [InlineData("3-1", null)]
    [InlineData("a-b", null)]
    public void The_online_cpu_list_is_counted(string list, int? count)
    {
        Assert.Equal(count, NodeFacts.ParseCpuList(list));
    }

    [Fact]
    public void Allocatable_is_capacity_less_the_kubelets_default_hard_eviction_thresholds()
    {
        var allocatable = NodeFacts.Allocatable(new Dictionary<string, string>
        {
            ["cpu"] = "2", ["pods"] = "110", ["memory"] = "4194304Ki", ["ephemeral-storage"] = "1000000Ki",
        });

        Assert.Equal("2", allocatable["cpu"]);
        Assert.Equal("110", allocatable["pods"]);
        Assert.Equal("4091904Ki", allocatable["memory"]);
        Assert.Equal("900000Ki", allocatable["ephemeral-storage"]);
    }

    [Fact]
    public void Node_files_are_parsed()
    {
        Assert.Equal(24576000, NodeFacts.ParseMemTotalKibibytes("MemTotal:       24576000 kB\nMemFree: 1 kB\n"));
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", NodeFacts.ParsePrettyName("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"));
        Assert.Equal("amd64", NodeFacts.GoArchitecture(System.Runtime.InteropServices.Architecture.X64));
        Assert.Equal("arm64", NodeFacts.GoArchitecture(System.Runtime.InteropServices.Architecture.Arm64));
    }

    [Fact]
    public void Stat_lines_are_parsed_from_the_last_parenthesis()
    {
        var line = "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1234 56\n";

        var stat = ProcFs.ParseStat(4242, line);

        Assert.Equal(new ProcStat(4242, 'S', 1, 4242, 4242, 987654), stat);
        Assert.Null(ProcFs.ParseStat(1, "garbage"));
    }

    [Fact]
    public void Shell_words_are_quoted_safely()
    {
        Assert.Equal("'it'\\''s $HOME `x`'", ShimScript.Quote("it's $HOME `x`"));
        Assert.True(ShimScript.IsShimOf(["/bin/sh", "/a/shim-abc.sh", "/a/pods/u/containers/c/0"], "/b/pods/u/containers/c/0"));
        Assert.False(ShimScript.IsShimOf(["/bin/sh", "/a/shim-abc.sh", "/a/pods/u/containers/c/1"], "/a/pods/u/containers/c/0"));
        Assert.False(ShimScript.IsShimOf(["sleep", "300"], "/a/pods/u/containers/c/0"));
        var tools = new HostTools("/usr/bin/setsid", "/usr/bin/env");
        Assert.True(ShimScript.IsLaunching(["/usr/bin/setsid", "/usr/bin/env", "-i", "--default-signal", "--", "A=b", "sleep", "1"], "/r", tools));
        Assert.True(ShimScript.IsLaunching(["/usr/bin/env", "-i", "--default-signal", "--", "sleep", "1"], "/r", tools));
        Assert.False(ShimScript.IsLaunching(["/usr/bin/env", "FOO=1", "sleep"], "/r", tools));
        Assert.False(ShimScript.IsLaunching(["sleep", "1"], "/r", tools));
    }

    [Fact]
    public void Executables_are_found_like_runc_finds_them()
    {
        var plain = Path.GetTempFileName();
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(LaunchCheck.FindExecutable("sh", LaunchCheck.DefaultPath, "/"));
        Assert.Null(LaunchCheck.FindExecutable("/bin/sh", "", "/"));
        Assert.Equal("exec: \"nope\": executable file not found in $PATH", LaunchCheck.FindExecutable("nope", "/bin", "/"));
        Assert.Equal("exec: \"/nope\": stat /nope: no such file or directory", LaunchCheck.FindExecutable("/nope", "/bin", "/"));
        Assert.Equal($"exec: \"{plain}\": permission denied", LaunchCheck.FindExecutable(plain, "/bin", "/"));
        Assert.Equal("exec: \"/tmp\": is a directory", LaunchCheck.FindExecutable("/tmp", "/bin", "/"));
        File.Delete(plain);
    }
}
