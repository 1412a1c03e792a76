using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using DurableKube.Functions.Tests.Support;
using DurableKube.Testing;
using DurableKube.Workflows.Hosting;
using Xunit.Abstractions;

namespace DurableKube.Functions.Tests;

/// <summary>
/// Publishes the Functions app as azd would deploy it and reads what the Functions host would read:
/// functions.metadata, worker.config.json, host.json and the host extensions the SDK built.
/// </summary>
public sealed class PublishTests : IClassFixture<PublishTests.Published>
{
    private readonly Published _published;

    public PublishTests(Published published, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _published = published;
        output.WriteLine($"dotnet publish -c {Published.Configuration} -> {published.Folder} (exit {published.ExitCode})");
    }

    private JsonArray Metadata => JsonNode.Parse(File.ReadAllText(_published.PathOf("functions.metadata")))!.AsArray();

    private JsonObject Function(string name)
    {
        var function = Assert.Single(Metadata, f => (string?)f!["name"] == name);
        return function!.AsObject();
    }

    private static List<string> BindingTypes(JsonObject function) =>
        function["bindings"]!.AsArray().Select(b => (string)b!["type"]!).ToList();

    [Fact]
    public void Publish_succeeds()
    {
        Assert.True(_published.ExitCode == 0, $"dotnet publish exited with {_published.ExitCode}:\n{_published.Output}");
    }

    [Fact]
    public void Functions_metadata_lists_exactly_the_functions_in_the_code()
    {
        Assert.Equal(FunctionCatalog.All.Select(f => f.Name).Order(), Metadata.Select(f => (string)f!["name"]!).Order());
    }

    [Fact]
    public void Orchestrators_and_activities_are_bound_to_their_durable_triggers()
    {
        Assert.All(WorkflowCatalog.Orchestrators, name => Assert.Equal(["orchestrationTrigger"], BindingTypes(Function(name))));
        Assert.All(WorkflowCatalog.Activities, name => Assert.Equal("activityTrigger", BindingTypes(Function(name))[0]));
    }

    [Fact]
    public void The_api_is_an_anonymous_catch_all_http_trigger()
    {
        var api = Function("KubernetesApi");
        var trigger = api["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "httpTrigger")!;

        Assert.Equal(["httpTrigger", "http"], BindingTypes(api));
        Assert.Equal("{*path}", (string?)trigger["route"]);
        Assert.Equal("anonymous", ((string?)trigger["authLevel"])?.ToLowerInvariant());
        Assert.Equal(
            new[] { "delete", "get", "head", "options", "patch", "post", "put" },
            trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()).Order());
    }

    [Fact]
    public void The_dispatcher_and_the_node_agent_have_their_triggers_and_a_durable_client()
    {
        var dispatch = Function("DispatchChange");
        var queue = dispatch["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "queueTrigger")!;

        Assert.Equal(["queueTrigger", "durableClient"], BindingTypes(dispatch));
        Assert.Equal("%Storage__ChangeQueue%", (string?)queue["queueName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)queue["connection"]);
        Assert.Equal(["activityTrigger", "durableClient"], BindingTypes(Function("ResyncChanges")));
        Assert.Equal(["activityTrigger", "durableClient"], BindingTypes(Function("ObserveNode")));
        Assert.DoesNotContain(Metadata, f => BindingTypes(f!.AsObject()).Contains("timerTrigger"));
    }

    [Fact]
    public void The_worker_config_starts_the_isolated_worker()
    {
        var description = JsonNode.Parse(File.ReadAllText(_published.PathOf("worker.config.json")))!["description"]!;

        Assert.Equal("dotnet-isolated", (string?)description["language"]);
        Assert.Equal("DurableKube.Functions.dll", (string?)description["defaultWorkerPath"]);
        Assert.True(File.Exists(_published.PathOf("DurableKube.Functions.dll")));
    }

    [Fact]
    public void The_published_host_json_is_the_root_one()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(_published.PathOf("host.json")))!;

        Assert.Equal("", (string?)hostJson["extensions"]!["http"]!["routePrefix"]);
        Assert.Equal("durablekube", (string?)hostJson["extensions"]!["durableTask"]!["hubName"]);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")), File.ReadAllText(_published.PathOf("host.json")));
    }

    [Fact]
    public void The_host_extensions_for_durable_and_queues_are_there()
    {
        var extensions = JsonNode.Parse(File.ReadAllText(_published.PathOf("extensions.json")))!["extensions"]!.AsArray();
        var names = extensions.Select(e => (string)e!["name"]!).ToList();

        Assert.Contains("DurableTask", names);
        Assert.Contains("AzureStorageQueues", names);
        Assert.All(extensions, e =>
        {
            var hint = (string)e!["hintPath"]!;
            Assert.True(File.Exists(_published.PathOf(hint)), $"{hint} is missing from the publish output");
        });
    }

    [Fact]
    public void Local_settings_are_not_published()
    {
        Assert.False(File.Exists(_published.PathOf("local.settings.json")));
        Assert.False(File.Exists(_published.PathOf("local.settings.example.json")));
    }

    [Fact]
    public void By_default_the_published_app_has_no_local_node_and_gets_past_the_check()
    {
        var (_, output) = _published.Start();

        Assert.DoesNotContain("cannot run pods with a local container runtime", output, StringComparison.Ordinal);
        Assert.Contains("Functions:Worker:HostEndpoint", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Runtime__Kind", "process")]
    [InlineData("Runtime__Kind", "Process")]
    [InlineData("Nodes__local__Kind", "process")]
    [InlineData("Runtime__Kind", "docker")]
    [InlineData("Nodes__local__Kind", "docker")]
    public void The_published_app_refuses_to_start_with_a_local_runtime(string setting, string value)
    {
        var (exitCode, output) = _published.Start((setting, value));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("The Functions app cannot run pods with a local container runtime (process or docker)", output, StringComparison.Ordinal);
        Assert.Contains($"{setting}={value}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_local_node_the_published_app_gets_past_the_check()
    {
        // It still cannot run without the Functions host (none here); what stops it is not the runtime check.
        var (_, output) = _published.Start(("Runtime__Kind", "none"));

        Assert.DoesNotContain("cannot run pods with a local container runtime", output, StringComparison.Ordinal);
        Assert.Contains("Functions:Worker:HostEndpoint", output, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>dotnet publish</c> once for the class, into a temporary folder.</summary>
    public sealed class Published : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

        public Published()
        {
            Folder = Path.Combine(Path.GetTempPath(), "durablekube-publish-" + Guid.NewGuid().ToString("N"));
            (ExitCode, Output) = Run(
                RepositoryRoot.Path, Timeout, [],
                "publish", Path.Combine(RepositoryRoot.Path, "src", "DurableKube.Functions", "DurableKube.Functions.csproj"),
                "-c", Configuration, "-o", Folder, "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        }

        /// <summary>Gets the configuration these tests were built with, so the publish reuses that build.</summary>
        public static string Configuration { get; } =
            typeof(PublishTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
                ? configuration
                : "Release";

        public string Folder { get; }

        public int ExitCode { get; }

        public string Output { get; }

        /// <summary>
        /// Starts the published worker as the Functions host would (<c>dotnet DurableKube.Functions.dll</c>) with
        /// these settings as environment variables, in a scratch directory, and waits for it to end: without the
        /// host to connect to, it never serves.
        /// </summary>
        public (int ExitCode, string Output) Start(params (string Name, string Value)[] settings)
        {
            var scratch = Path.Combine(Folder, "..", Path.GetFileName(Folder) + "-run-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(scratch);
            try
            {
                return Run(scratch, TimeSpan.FromMinutes(2), settings, PathOf("DurableKube.Functions.dll"));
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        public string PathOf(string relative) => Path.Combine(Folder, relative.StartsWith("./", StringComparison.Ordinal) ? relative[2..] : relative);

        public void Dispose()
        {
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }

        private static (int ExitCode, string Output) Run(string directory, TimeSpan timeout, (string Name, string Value)[] environment, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // Not the test host's settings: the runsettings' DOTNET_PROCESSOR_COUNT=64 would make MSBuild start
            // 64 nodes on a 2-core machine, and MSBuild variables of an outer build would steer this one.
            start.Environment.Remove("DOTNET_PROCESSOR_COUNT");
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var output = new StringBuilder();
            using var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return (-1, $"dotnet {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
            }

            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }

        private static void Append(StringBuilder output, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
