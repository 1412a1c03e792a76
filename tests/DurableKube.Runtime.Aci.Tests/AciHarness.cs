using DurableKube.Ports.Runtime;
using DurableKube.Runtime.Aci.Arm;
using DurableKube.Runtime.Aci.Tests.Arm;
using DurableKube.Testing.Arm;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Runtime.Aci.Tests;

/// <summary>An ACI runtime over a fake ARM server, with short intervals.</summary>
internal sealed class AciHarness : IAsyncDisposable
{
    public const string Node = "aci-westeurope";

    private AciHarness(FakeArmServer server, AciRuntimeOptions options, AciContainerRuntime runtime, ArmRequestCounter counter)
    {
        Server = server;
        Options = options;
        Runtime = runtime;
        Counter = counter;
    }

    public FakeArmServer Server { get; }

    public AciRuntimeOptions Options { get; }

    public AciContainerRuntime Runtime { get; }

    public ArmRequestCounter Counter { get; }

    public static async Task<AciHarness> StartAsync(FakeArmOptions? fake = null, TimeProvider? runtimeTime = null, Action<AciRuntimeOptions>? configure = null)
    {
        var server = await FakeArmServer.StartAsync(fake ?? new FakeArmOptions { ProvisioningStep = TimeSpan.FromMilliseconds(50) });
        var options = new AciRuntimeOptions
        {
            NodeName = Node,
            Region = "westeurope",
            Arm = ArmHarness.ClientOptions(server),
            ObserveInterval = TimeSpan.FromMilliseconds(100),
            MinReadInterval = TimeSpan.FromMilliseconds(50),
            MaxReadInterval = TimeSpan.FromSeconds(1),
            ReadFreshFor = TimeSpan.Zero,
            LogPollInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        var counter = new ArmRequestCounter();
        var client = new ContainerGroupClient(options.Arm, new FixedTokenCredential(), counter, server.CreateTransport(), sessions: new HttpMessageInvoker(server.CreateHandler()));
        var runtime = new AciContainerRuntime(options, client, runtimeTime ?? TimeProvider.System, NullLogger<AciContainerRuntime>.Instance);
        return new AciHarness(server, options, runtime, counter);
    }

    /// <summary>A launch whose image the fake scripts: unique per pod and container, so tests do not share scripts.</summary>
    public ContainerLaunch Launch(string podUid, string container, int attempt, ContainerScript script, ContainerKind kind = ContainerKind.App)
    {
        var image = $"contract.example/{podUid}-{container}:1";
        Server.ScriptImage(image, script);
        return new ContainerLaunch(new ContainerRunId(podUid, container, attempt), "default", $"pod-{podUid}", image, [], [], null) { Kind = kind };
    }

    public static SandboxSpec Spec(string podUid, params ContainerLaunch[] containers) =>
        new(podUid, "default", $"pod-{podUid}", Node) { RestartPolicy = "Never", Containers = containers };

    public async Task<SandboxStatus> CreateReadyAsync(SandboxSpec spec) =>
        await Eventually.ReturnsAsync(() => Runtime.CreateSandboxAsync(spec), status => status.State == SandboxState.Ready);

    public async ValueTask DisposeAsync()
    {
        Runtime.Dispose();
        Counter.Dispose();
        await Server.DisposeAsync();
    }
}
