using DurableKube.Testing.Azurite;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// A local host of the fault tests' own, started as <see cref="LocalHostFixture"/> starts one (scripts/up.sh, a process
/// node and an ACI node on the fake ARM server), but on an Azurite of its own (<see cref="Storage"/>) that the tests
/// freeze, kill and start again, and a host they kill with SIGKILL: the shared host of the other end-to-end tests is
/// never disturbed. The dispatcher resyncs every 20 s here, so a change lost in an outage is made up for within a test,
/// and up.sh starts the host without building it first (<c>DURABLEKUBE_NO_BUILD</c>).
/// </summary>
public sealed class FaultHostFixture : LocalHostFixture
{
    /// <summary>Gets the Azurite this host stores everything in.</summary>
    public RestartableAzurite Storage { get; } = new();

    /// <summary>Gets the process runtime's state directory (up.sh's default under the run directory).</summary>
    public string RuntimeRoot => Path.Combine(RunDirectory, "runtime");

    /// <inheritdoc />
    /// <remarks>The host's log is kept beside the test results (or in the temporary folder) for a failure to be read.</remarks>
    public override async Task DisposeAsync()
    {
        try
        {
            var kept = Path.Combine(Path.GetTempPath(), $"durablekube-fault-host-{DateTime.UtcNow:yyyyMMddHHmmss}.log");
            File.Copy(Path.Combine(RunDirectory, "host.log"), kept, overwrite: true);
        }
        catch (IOException)
        {
            // No log to keep.
        }

        await base.DisposeAsync();
    }

    /// <inheritdoc />
    protected override async Task<string> StartStorageAsync()
    {
        await Storage.StartAsync();
        return Storage.ConnectionString;
    }

    /// <inheritdoc />
    protected override async Task StopStorageAsync() => await Storage.DisposeAsync();

    /// <inheritdoc />
    protected override void Configure(IDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment["Dispatcher__ResyncInterval"] = "00:00:20";

        // A pod workflow whose activity result the provider holds back after a kill is started again within a test.
        environment["Reconcile__StuckAfter"] = "00:01:00";

        // The tests start the host again after each kill: the build under test is there already (scripts/test.sh built
        // it), and an msbuild per restart costs a minute on a loaded 2-core machine.
        environment["DURABLEKUBE_NO_BUILD"] = "1";
    }
}

/// <summary>The fault tests' one host: they kill it and its storage, so it is theirs alone, and they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class FaultHostCollection : ICollectionFixture<FaultHostFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fault host";
}
