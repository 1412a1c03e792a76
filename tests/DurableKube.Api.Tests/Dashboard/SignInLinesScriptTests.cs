using System.Diagnostics;

namespace DurableKube.Api.Tests.Dashboard;

/// <summary>
/// The lines up.sh prints on signing in to the dashboard (<c>dashboard_sign_in</c> in scripts/lib.sh): on a terminal
/// the link that signs in, so that a newcomer needs no command; into a pipe or a file (a CI log, <c>| tee</c>) only
/// where the link is, so that the token stays out of logs.
/// </summary>
public sealed class SignInLinesScriptTests : IDisposable
{
    private const string Link = "https://127.0.0.1:7071/ui/#token=t0ken-of-the-admin";

    private readonly DirectoryInfo _run = Directory.CreateTempSubdirectory("durablekube-signin-");

    private string LinkFile => Path.Combine(_run.FullName, "dashboard.url");

    private string Ca => Path.Combine(_run.FullName, "pki", "ca.crt");

    [Fact]
    public async Task On_a_terminal_the_link_that_signs_in_is_printed()
    {
        // script(1) runs the command on a pseudo-terminal, as a user's shell does.
        var output = await RunAsync("script", ["-qec", "bash -c 'source \"$LIB\" && dashboard_sign_in \"$LINK_FILE\" \"$CA\"'", "/dev/null"]);

        Assert.Equal(
            $"    sign in as admin: {Link}\n    (the browser asks you to trust {Ca} first; the link is also in {LinkFile})\n",
            output.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Into_a_pipe_only_where_the_link_is_is_printed_not_the_token()
    {
        var output = await RunAsync("bash", ["-c", "source \"$LIB\" && dashboard_sign_in \"$LINK_FILE\" \"$CA\""]);

        Assert.Equal(
            $"    sign in as admin: open the link in {LinkFile} (not printed here: this output is not a terminal)\n    (the browser asks you to trust {Ca} first)\n",
            output);
        Assert.DoesNotContain("t0ken", output, StringComparison.Ordinal);
    }

    public void Dispose() => _run.Delete(recursive: true);

    private async Task<string> RunAsync(string file, string[] arguments)
    {
        await File.WriteAllTextAsync(LinkFile, Link + "\n");
        var start = new ProcessStartInfo(file, arguments)
        {
            // Nothing to read: script(1) gets an input that has ended, not the test runner's.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["LIB"] = Path.Combine(RepositoryRoot(), "scripts", "lib.sh"),
                ["LINK_FILE"] = LinkFile,
                ["CA"] = Ca,
            },
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} exited {process.ExitCode}: {await error}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
