using System.Diagnostics;
using System.Text.Json.Nodes;
using DurableKube.Functions.Hosting;
using DurableKube.Testing;
using Microsoft.Extensions.Configuration;

namespace DurableKube.Functions.Tests;

/// <summary>The Functions app refuses the process runtime, for the local node or any configured node, and says what to do instead.</summary>
public sealed class ProcessRuntimeGuardTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Theory]
    [InlineData("Runtime:Kind", "process", "Runtime__Kind=process")]
    [InlineData("Runtime:Kind", "PROCESS", "Runtime__Kind=PROCESS")]
    [InlineData("Runtime:Kind", " process ", "Runtime__Kind= process ")]
    [InlineData("Nodes:local:Kind", "process", "Nodes__local__Kind=process")]
    [InlineData("Runtime:Kind", "docker", "Runtime__Kind=docker")]
    [InlineData("Runtime:Kind", "auto", "Runtime__Kind=auto")]
    [InlineData("Nodes:box:Kind", "docker", "Nodes__box__Kind=docker")]
    public void A_process_runtime_is_refused_naming_the_setting(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProcessRuntimeGuard.EnsureNoProcessRuntime(Configuration((key, value))));

        Assert.StartsWith("The Functions app cannot run pods with a local container runtime (process or docker), but " + named + ".", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nodes__aci-1__Kind=aci", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/up.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_offending_setting_is_named()
    {
        var configuration = Configuration(("Runtime:Kind", "process"), ("Nodes:aci-1:Kind", "aci"), ("Nodes:edge:Kind", "process"));

        Assert.Equal(["Runtime__Kind=process", "Nodes__edge__Kind=process"], ProcessRuntimeGuard.ProcessSettings(configuration));
    }

    [Theory]
    [InlineData]
    [InlineData("Nodes:aci-1:Kind", "aci")]
    [InlineData("Runtime:Process:Root", "/tmp/x")]
    public void Configurations_without_the_process_runtime_pass(params string[] setting)
    {
        var configuration = setting.Length == 0 ? Configuration() : Configuration((setting[0], setting[1]));

        ProcessRuntimeGuard.EnsureNoProcessRuntime(configuration);
        Assert.Empty(ProcessRuntimeGuard.ProcessSettings(configuration));
    }

    [Fact]
    public void The_committed_local_settings_example_describes_an_ACI_node_and_passes()
    {
        var example = Path.Combine(RepositoryRoot.Path, "src", "DurableKube.Functions", "local.settings.example.json");
        var values = JsonNode.Parse(File.ReadAllText(example))!["Values"]!.AsObject();

        // func start hands Values to the worker as environment variables, where __ is the section separator.
        var configuration = Configuration([.. values.Select(v => (v.Key.Replace("__", ":", StringComparison.Ordinal), (string)v.Value!))]);
        ProcessRuntimeGuard.EnsureNoProcessRuntime(configuration);
        Assert.Equal("aci", configuration["Nodes:aci-1:Kind"]);
    }

    [Fact]
    public void Local_settings_json_is_ignored_by_git_and_the_example_is_not()
    {
        var folder = Path.Combine("src", "DurableKube.Functions");

        Assert.Equal(0, CheckIgnore(Path.Combine(folder, "local.settings.json")));
        Assert.Equal(1, CheckIgnore(Path.Combine(folder, "local.settings.example.json")));
    }

    /// <summary>Runs <c>git check-ignore</c>: 0 if ignored, 1 if not.</summary>
    private static int CheckIgnore(string path)
    {
        var start = new ProcessStartInfo("git", ["check-ignore", "--no-index", "-q", path])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var git = Process.Start(start)!;
        git.WaitForExit();
        return git.ExitCode;
    }
}
