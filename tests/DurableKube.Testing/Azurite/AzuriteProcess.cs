using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DurableKube.Testing.Azurite;

/// <summary>
/// Starts an Azurite from the repository's node_modules on loopback ports and a data folder of the caller's, and waits
/// until its three services listen; the account and connection string every Azurite of the tests has.
/// </summary>
internal static class AzuriteProcess
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Gets the azurite executable of the repository's node_modules, or <see langword="null"/> when npm ci has not run.</summary>
    public static string? Executable =>
        Path.Combine(RepositoryRoot.Path, "node_modules", ".bin", "azurite") is var path && File.Exists(path) ? path : null;

    /// <summary>The connection string of an Azurite on these ports.</summary>
    /// <param name="blob">The blob port.</param>
    /// <param name="queue">The queue port.</param>
    /// <param name="table">The table port.</param>
    /// <returns>The connection string.</returns>
    public static string ConnectionString(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};"
        + $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};"
        + $"QueueEndpoint=http://127.0.0.1:{queue}/{Account};"
        + $"TableEndpoint=http://127.0.0.1:{table}/{Account};";

    /// <summary>Starts Azurite and waits until all three services listen.</summary>
    /// <param name="executable">The azurite executable.</param>
    /// <param name="data">Its data folder.</param>
    /// <param name="blob">The blob port.</param>
    /// <param name="queue">The queue port.</param>
    /// <param name="table">The table port.</param>
    /// <param name="patience">How long it may take to listen.</param>
    /// <returns>The process (its output drained).</returns>
    /// <exception cref="InvalidOperationException">It did not start, or did not listen in time.</exception>
    public static async Task<Process> StartAsync(string executable, string data, int blob, int queue, int table, TimeSpan patience)
    {
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList =
            {
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
                "--location", data, "--skipApiVersionCheck", "--loose", "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + patience;
        while (!(await IsListeningAsync(blob) && await IsListeningAsync(queue) && await IsListeningAsync(table)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start listening on ports {blob}, {queue}, {table} (exited: {process.HasExited}).");
            }

            await Task.Delay(200);
        }

        return process;
    }

    /// <summary>Whether something accepts connections on a loopback port.</summary>
    /// <param name="port">The port.</param>
    /// <returns><see langword="true"/> if a connection was accepted within a second.</returns>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
