using DurableKube.Testing.Arm;

namespace DurableKube.Bench;

/// <summary>
/// Serves the tests' fake Azure Resource Manager for the host's ACI node until stopped, writing into a folder its
/// certificate (<c>arm.pem</c>), its address (<c>endpoint</c>) and, every half second, the lines of the requests it
/// answered since in its request log (<c>requests.tsv</c>, one line each, see <see cref="ArmCall.Line"/>).
/// </summary>
internal static class FakeArm
{
    /// <summary>Serves until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="stop">Cancelled on SIGTERM or Ctrl-C.</param>
    /// <returns>When stopped.</returns>
    public static async Task ServeAsync(string directory, CancellationToken stop)
    {
        Directory.CreateDirectory(directory);
        await using var arm = await FakeArmServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(directory, "arm.pem"), arm.CertificatePem, stop);
        var log = Path.Combine(directory, "requests.tsv");
        await File.WriteAllTextAsync(log, string.Empty, stop);
        await WriteAsync(directory, "endpoint", arm.Endpoint.ToString());
        var logged = 0;
        while (!stop.IsCancellationRequested)
        {
            var requests = arm.Requests;
            await File.AppendAllLinesAsync(log, requests.Skip(logged).Select(r => ArmCall.Line(r.Time, r.Method)), CancellationToken.None);
            logged = requests.Count;
            await Task.Delay(500, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // Written whole, then renamed: a reader never sees half a file.
    private static async Task WriteAsync(string directory, string name, string text)
    {
        var temporary = Path.Combine(directory, name + ".tmp");
        await File.WriteAllTextAsync(temporary, text);
        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
    }
}
