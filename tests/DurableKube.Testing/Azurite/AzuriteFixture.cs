using System.Diagnostics;
using Xunit;

namespace DurableKube.Testing.Azurite;

/// <summary>
/// Azure Storage for tests. Uses, in order: the connection string in <c>DURABLEKUBE_TEST_STORAGE</c>
/// (scripts/test.sh starts one Azurite for the whole run and sets it); an Azurite already listening on
/// the default ports; or an Azurite this fixture starts from the repository's node_modules on free
/// ports and stops again (TERM, then KILL) when disposed.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The environment variable scripts/test.sh sets to the connection string of its Azurite.</summary>
    public const string ConnectionStringVariable = "DURABLEKUBE_TEST_STORAGE";

    private Process? _azurite;
    private string? _dataDirectory;

    /// <summary>Gets the connection string tests use.</summary>
    public string ConnectionString { get; private set; } = "UseDevelopmentStorage=true";

    /// <summary>Gets a name no other test in this run uses, for tables, queues and task hubs (letters and digits, starting with a letter).</summary>
    /// <param name="prefix">A short lowercase prefix naming the test area.</param>
    /// <returns>The name.</returns>
    public static string UniqueName(string prefix) =>
        prefix + Guid.NewGuid().ToString("N")[..12];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        if (await AzuriteProcess.IsListeningAsync(10000) && await AzuriteProcess.IsListeningAsync(10001) && await AzuriteProcess.IsListeningAsync(10002))
        {
            ConnectionString = "UseDevelopmentStorage=true";
            return;
        }

        await StartOwnAzuriteAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_azurite is { HasExited: false } azurite)
        {
            await ProcessStopper.StopAsync(azurite, TimeSpan.FromSeconds(10));
        }

        _azurite?.Dispose();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }
    }

    private async Task StartOwnAzuriteAsync()
    {
        var executable = AzuriteProcess.Executable ?? throw new InvalidOperationException(
            $"These tests need Azure Storage. Set {ConnectionStringVariable}, start Azurite on 127.0.0.1:10000-10002, "
            + "or run 'npm ci' in the repository so the tests can start it themselves (scripts/test.sh does all of this).");
        var (blob, queue, table) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        _dataDirectory = Directory.CreateTempSubdirectory("durablekube-azurite-").FullName;
        _azurite = await AzuriteProcess.StartAsync(executable, _dataDirectory, blob, queue, table, TimeSpan.FromSeconds(60));
        ConnectionString = AzuriteProcess.ConnectionString(blob, queue, table);
    }
}
