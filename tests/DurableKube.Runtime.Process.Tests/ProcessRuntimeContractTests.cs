using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;

namespace DurableKube.Runtime.Process.Tests;

/// <summary>The runtime contract, held by the process runtime: each container a shell command.</summary>
[SuppressMessage("Design", "CA1001", Justification = "The root is disposed in DisposeRuntimeAsync, which xunit calls through IAsyncLifetime.")]
public sealed class ProcessRuntimeContractTests : ContainerRuntimeContractTests
{
    private readonly TestRoot _root = new();

    protected override Task<IContainerRuntime> CreateRuntimeAsync() => Task.FromResult<IContainerRuntime>(_root.CreateRuntime());

    protected override async Task DisposeRuntimeAsync() => await _root.DisposeAsync();

    protected override IReadOnlyList<string>? ShellCommand(string script) => ["sh", "-c", script];

    protected override ContainerLaunch Launch(string podUid, string container, int attempt, TimeSpan? runFor, int exitCode, params string[] log)
    {
        var print = log.Length == 0 ? "" : "printf '%s\\n' " + string.Join(' ', log.Select(line => $"'{line}'")) + "; ";
        var run = runFor is { } time
            ? $"sleep {time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}; exit {exitCode.ToString(CultureInfo.InvariantCulture)}"
            : "exec sleep 3600";
        return TestRoot.Launch(podUid, container, attempt, "sh", "-c", print + run);
    }
}
