using System.Diagnostics;

namespace DurableKube.Api.Tests.Dashboard;

/// <summary>
/// The dashboard's pure JavaScript (age formatting, selectors, the restart timeline's layout) under Node's own test
/// runner: <c>node --test tests/js/dashboard</c>, as scripts/test.sh needs Node anyway.
/// </summary>
public sealed class DashboardScriptTests
{
    [Fact]
    public async Task The_javascript_unit_tests_pass()
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("node", ["--test", Path.Combine("tests", "js", "dashboard")])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var text = await output + await error;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("# fail 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0\n", text, StringComparison.Ordinal);
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
