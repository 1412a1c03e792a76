using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;

namespace DurableKube.Runtime.Docker.Tests;

/// <summary>The runtime contract, held by the Docker runtime: each container the busybox test image running a shell script.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The harness is disposed in DisposeRuntimeAsync, which xunit calls through IAsyncLifetime.")]
public sealed class DockerRuntimeContractTests : ContainerRuntimeContractTests
{
    private readonly DockerHarness _harness = new();

    protected override async Task<IContainerRuntime> CreateRuntimeAsync()
    {
        var runtime = _harness.CreateRuntime();
        await DockerHarness.EnsureTestImageAsync(runtime);
        return runtime;
    }

    protected override async Task DisposeRuntimeAsync() => await _harness.DisposeAsync();

    protected override IReadOnlyList<string>? ShellCommand(string script) => ["sh", "-c", script];

    protected override ContainerLaunch Launch(string podUid, string container, int attempt, TimeSpan? runFor, int exitCode, params string[] log)
    {
        // The script is PID 1 of its container, which ignores SIGTERM unless it handles it: it does, as a well-behaved image would.
        var print = log.Length == 0 ? "" : "printf '%s\\n' " + string.Join(' ', log.Select(line => $"'{line}'")) + "; ";
        var run = runFor is { } time
            ? $"sleep {time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}; exit {exitCode.ToString(CultureInfo.InvariantCulture)}"
            : "sleep 3600 & wait";
        return DockerHarness.Launch(podUid, container, attempt, "sh", "-c", "trap 'exit 143' TERM; " + print + run);
    }
}
