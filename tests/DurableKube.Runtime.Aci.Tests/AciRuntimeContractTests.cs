using DurableKube.Ports.Runtime;
using DurableKube.Testing.Arm;
using DurableKube.Testing.Runtime;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>The runtime contract, held by the ACI runtime over the fake ARM server.</summary>
public sealed class AciRuntimeContractTests : ContainerRuntimeContractTests
{
    private AciHarness _aci = null!;

    protected override async Task<IContainerRuntime> CreateRuntimeAsync()
    {
        _aci = await AciHarness.StartAsync();
        return _aci.Runtime;
    }

    protected override async Task DisposeRuntimeAsync() => await _aci.DisposeAsync();

    /// <summary>ACI's exec takes one command line and no shell script: the contract asks only for one-word commands here.</summary>
    protected override IReadOnlyList<string>? ShellCommand(string script) => [script];

    protected override bool ExecOnTerminalOnly => true;

    protected override ContainerLaunch Launch(string podUid, string container, int attempt, TimeSpan? runFor, int exitCode, params string[] log)
    {
        var launch = _aci.Launch(podUid, container, attempt, new ContainerScript([new ContainerRunScript(runFor, exitCode)], log));
        return launch;
    }
}
