using DurableKube.Runtime.Aci.Arm;
using DurableKube.Runtime.Aci.Arm.Models;
using DurableKube.Testing.Arm;

namespace DurableKube.Runtime.Aci.Tests.Arm;

/// <summary>A fake ARM server and a client pointed at it, with short back-offs and polls.</summary>
internal sealed class ArmHarness : IAsyncDisposable
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroup = "dk-nodes";

    private ArmHarness(FakeArmServer server, AciArmOptions options, ContainerGroupClient client, FixedTokenCredential credential)
    {
        Server = server;
        Options = options;
        Client = client;
        Credential = credential;
    }

    public FakeArmServer Server { get; }

    public AciArmOptions Options { get; }

    public ContainerGroupClient Client { get; }

    public FixedTokenCredential Credential { get; }

    public static async Task<ArmHarness> StartAsync(FakeArmOptions? fake = null, Action<AciArmOptions>? configure = null)
    {
        var server = await FakeArmServer.StartAsync(fake ?? new FakeArmOptions { ProvisioningStep = TimeSpan.FromMilliseconds(50) });
        var options = ClientOptions(server);
        configure?.Invoke(options);
        var credential = new FixedTokenCredential();
        var client = new ContainerGroupClient(options, credential, new ArmRequestCounter(), server.CreateTransport());
        return new ArmHarness(server, options, client, credential);
    }

    public static AciArmOptions ClientOptions(FakeArmServer server) => new()
    {
        Endpoint = server.Endpoint,
        SubscriptionId = Subscription,
        ResourceGroup = ResourceGroup,
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
        OperationPollInterval = TimeSpan.FromMilliseconds(20),
        OperationTimeout = TimeSpan.FromSeconds(20),
    };

    public static ContainerGroup Group(string image = "registry.example/app:1", params string[] command) => new()
    {
        Location = "westeurope",
        Tags = new() { ["durablekube-pod-uid"] = "uid-1" },
        Properties = new ContainerGroupProperties
        {
            OsType = "Linux",
            Sku = "Standard",
            RestartPolicy = "Never",
            Containers =
            [
                new Container
                {
                    Name = "app",
                    Properties = new ContainerProperties
                    {
                        Image = image,
                        Command = command.Length == 0 ? null : [.. command],
                        Resources = new ResourceRequirements { Requests = new ResourceRequests { Cpu = 0.5, MemoryInGB = 0.5 } },
                        EnvironmentVariables = [new EnvironmentVariable { Name = "PLAIN", Value = "1" }, new EnvironmentVariable { Name = "TOKEN", SecureValue = "s3cret" }],
                    },
                },
            ],
        },
    };

    public async ValueTask DisposeAsync()
    {
        Client.Requests.Dispose();
        await Server.DisposeAsync();
    }
}
