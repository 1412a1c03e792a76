using System.Diagnostics;
using System.Text;
using DurableKube.Testing;
using DurableKube.Testing.Arm;
using DurableKube.Testing.Azurite;
using k8s;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// The local host started exactly as a user starts it: <c>scripts/up.sh</c>, in a run directory and on
/// a port of its own, against the test run's Azurite with its own task hub, table and queue; stopped
/// with <c>scripts/down.sh</c>. The kubelet's back-off is scaled down (1 s doubling to 4 s), and a node's grace period
/// to 20 s (heartbeats every 5 s).
/// Beside its local process node the host has an Azure Container Instances node on a fake ARM server (https on
/// loopback), tainted as virtual-kubelet's ACI nodes are, so only pods that tolerate it go there.
/// </summary>
public class LocalHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private string _storage = string.Empty;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    /// <summary>Gets the run directory (state, logs, kubeconfig).</summary>
    public string RunDirectory { get; } = Directory.CreateTempSubdirectory("durablekube-e2e-").FullName;

    /// <summary>Gets the API port.</summary>
    public int Port { get; } = FreePort.Next();

    /// <summary>Gets the node name the host registers.</summary>
    public string NodeName => "e2e-" + _suffix;

    /// <summary>Gets the name of the ACI node.</summary>
    public string AciNodeName => "aci-" + _suffix;

    /// <summary>Gets the connection string of the storage the host stores in (its own Azurite, or what a derived fixture brings).</summary>
    public string StorageConnectionString => _storage;

    /// <summary>Gets the host's Durable Task hub (its tables and blob containers are named after it).</summary>
    public string TaskHub => "e2e" + _suffix;

    /// <summary>Gets the host's object store table.</summary>
    public string ObjectsTable => "e2eobjects" + _suffix;

    /// <summary>The taint of the ACI node, as virtual-kubelet's.</summary>
    public const string AciTaint = "virtual-kubelet.io/provider=azure:NoSchedule";

    /// <summary>Gets the fake ARM server behind the ACI node.</summary>
    public FakeArmServer Arm { get; private set; } = null!;

    /// <summary>Gets this host's pod range (a loopback /16 of its own).</summary>
    public string PodCidr => $"127.{2 + (Port % 90)}.0.0/16";

    /// <summary>Gets this host's service range (a loopback /16 of its own).</summary>
    public string ServiceCidr => $"127.{100 + (Port % 90)}.0.0/16";

    /// <summary>Gets the kubeconfig up.sh wrote.</summary>
    public string Kubeconfig => Path.Combine(RunDirectory, "kubeconfig");

    /// <summary>Gets the API's base address (HTTPS, with the certificate up.sh made).</summary>
    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");

    /// <summary>Gets the certificate authority up.sh made, which the kubeconfig carries.</summary>
    public string CaCertificatePath => Path.Combine(RunDirectory, "pki", "ca.crt");

    /// <summary>The kubeconfig's context of the read-only user.</summary>
    public const string ViewerContext = "durablekube-viewer";

    /// <summary>Gets a token up.sh made: <c>admin</c> or <c>viewer</c>.</summary>
    /// <param name="user">The token's name.</param>
    /// <returns>The bearer token.</returns>
    public string Token(string user = "admin") => File.ReadAllText(Path.Combine(RunDirectory, "tokens", user)).Trim();

    /// <summary>Whether a certificate the host presents chains to up.sh's CA, the only root the tests trust.</summary>
    /// <param name="certificate">The server's certificate.</param>
    /// <returns><see langword="true"/> if it does.</returns>
    public bool TrustsServerCertificate(System.Security.Cryptography.X509Certificates.X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath);
        using var server = new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate);
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    /// <summary>
    /// Creates an HTTP client of the API, as the C# client makes one from the kubeconfig: it trusts only up.sh's CA and
    /// sends <paramref name="user"/>'s bearer token (none when <see langword="null"/>).
    /// </summary>
    /// <param name="user">The token to send: <c>admin</c>, <c>viewer</c>, or <see langword="null"/>.</param>
    /// <returns>The client, its base address the API's.</returns>
    public HttpClient CreateHttpClient(string? user = "admin")
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => TrustsServerCertificate(certificate),
        };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(user));
        }

        return http;
    }

    /// <summary>Gets a folder tests may give to containers to write into (absolute: containers are host processes).</summary>
    public string Scratch => Directory.CreateDirectory(Path.Combine(RunDirectory, "scratch")).FullName;

    /// <summary>Gets the pid of the running host.</summary>
    public int HostPid => int.Parse(File.ReadAllText(Path.Combine(RunDirectory, "host.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gets the local node's runtime (<c>Runtime__Kind</c>).</summary>
    protected virtual string RuntimeKind => "process";

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _storage = await StartStorageAsync();
        Arm = await FakeArmServer.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(RunDirectory, "arm.pem"), Arm.CertificatePem);
        var result = await UpAsync();
        Assert.True(result.ExitCode == 0, $"scripts/up.sh failed ({result.ExitCode}):\n{result.Output}\n{HostLog()}");
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        var down = await RunScriptAsync("down.sh", TimeSpan.FromMinutes(2));

        // A clean stop of the host ends every container it ran: nothing under its runtime may be left.
        var leftovers = ProcessesUnder(Path.Combine(RunDirectory, "runtime"));
        foreach (var pid in leftovers)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        await StopStorageAsync();
        if (Arm is not null)
        {
            await Arm.DisposeAsync(); // Null when InitializeAsync failed before it started.
        }

        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }

        Assert.True(down.ExitCode == 0, $"scripts/down.sh failed ({down.ExitCode}): {down.Output}");
        Assert.True(leftovers.Count == 0, $"scripts/down.sh left {leftovers.Count} container process(es) running: {string.Join(", ", leftovers)}");
    }

    /// <summary>
    /// The pids of processes whose command line names a path under <paramref name="directory"/> (the
    /// runtime's shims do) or whose working directory is under it (containers run in their pod's sandbox).
    /// </summary>
    private static List<int> ProcessesUnder(string directory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? string.Empty;
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Contains(directory, StringComparison.Ordinal)
                    || cwd.StartsWith(directory, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Starts the storage the host uses: the test run's Azurite (see <see cref="AzuriteFixture"/>).</summary>
    /// <returns>Its connection string.</returns>
    protected virtual async Task<string> StartStorageAsync()
    {
        await _azurite.InitializeAsync();
        return _azurite.ConnectionString;
    }

    /// <summary>Stops what <see cref="StartStorageAsync"/> started, if it started anything.</summary>
    /// <returns>A task that completes once it is stopped.</returns>
    protected virtual Task StopStorageAsync() => _azurite.DisposeAsync();

    /// <summary>Adds settings of a fixture's own to the host's environment (none here).</summary>
    /// <param name="environment">The environment up.sh is given.</param>
    protected virtual void Configure(IDictionary<string, string> environment)
    {
    }

    /// <summary>Runs scripts/up.sh with this fixture's environment.</summary>
    /// <returns>Its exit code and output.</returns>
    public Task<CommandResult> UpAsync() => RunScriptAsync("up.sh", TimeSpan.FromMinutes(8));

    /// <summary>Kills the host with SIGKILL, as a crash would, and waits until it is gone.</summary>
    /// <returns>A task that completes once the host process is gone.</returns>
    public async Task KillHostAsync()
    {
        using var host = Process.GetProcessById(HostPid);
        host.Kill(entireProcessTree: false);
        await host.WaitForExitAsync();
    }

    /// <summary>Gets the host's log so far.</summary>
    /// <returns>The log text.</returns>
    public string HostLog()
    {
        var path = Path.Combine(RunDirectory, "host.log");
        return File.Exists(path) ? File.ReadAllText(path) : "<no host log>";
    }

    /// <summary>Runs the machine's kubectl against the host.</summary>
    /// <param name="arguments">kubectl's arguments.</param>
    /// <returns>Its exit code and output (stdout then stderr).</returns>
    /// <remarks>The kubeconfig is up.sh's: https with its CA, and the admin's token (<c>--context durablekube-viewer</c> for the viewer's).</remarks>
    public Task<CommandResult> KubectlAsync(params string[] arguments) =>
        RunAsync("kubectl", ["--kubeconfig", Kubeconfig, .. arguments], TimeSpan.FromMinutes(2));

    /// <summary>Runs kubectl and fails the test if it fails.</summary>
    /// <param name="arguments">kubectl's arguments.</param>
    /// <returns>Its standard output.</returns>
    public async Task<string> KubectlOkAsync(params string[] arguments)
    {
        var result = await KubectlAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}");
        return result.StandardOutput;
    }

    /// <summary>Creates an official C# client from the kubeconfig up.sh wrote.</summary>
    /// <returns>The client.</returns>
    public Kubernetes CreateClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

    private Task<CommandResult> RunScriptAsync(string script, TimeSpan timeout) =>
        RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", script)], timeout, Environment());

    private Dictionary<string, string> Environment()
    {
        var environment = BaseEnvironment();
        Configure(environment);
        return environment;
    }

    private Dictionary<string, string> BaseEnvironment() => new()
    {
        ["DURABLEKUBE_RUN_DIR"] = RunDirectory,
        ["DURABLEKUBE_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DURABLEKUBE_STORAGE"] = _storage,
        ["Durable__TaskHub"] = TaskHub,
        ["Durable__WorkerId"] = "e2e-" + _suffix,
        ["Storage__ObjectsTable"] = ObjectsTable,
        ["Storage__ChangeQueue"] = "e2e-changes-" + _suffix,
        ["Node__Name"] = NodeName,

        // These tests run python3 commands with no real images: the process runtime, whatever up.sh's auto would pick
        // (the Docker host of DockerHostFixture says docker).
        ["Runtime__Kind"] = RuntimeKind,

        // Ranges of this host's own, so test hosts running side by side never share a pod address or a ClusterIP.
        ["Runtime__PodCidr"] = PodCidr,
        ["Services__ClusterIPRange"] = ServiceCidr,
        // A node silent for 20 s (four missed heartbeats, as Kubernetes' 40 s grace over 10 s heartbeats) is Unknown, so the
        // node failure walkthrough takes seconds, not minutes; the local node heartbeats every 5 s to keep that margin.
        ["NodeLifecycle__GracePeriod"] = "00:00:20",
        ["Node__HeartbeatInterval"] = "00:00:05",
        ["Kubelet__BackoffInitial"] = "00:00:01",
        ["Kubelet__BackoffMax"] = "00:00:04",
        ["Kubelet__SandboxPoll"] = "00:00:01",
        ["Kubelet__SandboxRetry"] = "00:00:02",
        [$"Nodes__{AciNodeName}__Kind"] = "aci",
        [$"Nodes__{AciNodeName}__Endpoint"] = Arm.Endpoint.ToString(),
        [$"Nodes__{AciNodeName}__TrustedCertificatePath"] = Path.Combine(RunDirectory, "arm.pem"),
        [$"Nodes__{AciNodeName}__AccessToken"] = FixedTokenCredential.Token,
        [$"Nodes__{AciNodeName}__SubscriptionId"] = "00000000-0000-0000-0000-0000000000e2",
        [$"Nodes__{AciNodeName}__ResourceGroup"] = "rg-e2e-nodes",
        [$"Nodes__{AciNodeName}__Region"] = "westeurope",
        [$"Nodes__{AciNodeName}__Cpu"] = "40",
        [$"Nodes__{AciNodeName}__MemoryGi"] = "160",
        [$"Nodes__{AciNodeName}__ObserveInterval"] = "00:00:02",
        [$"Nodes__{AciNodeName}__MinReadInterval"] = "00:00:01",
        [$"Nodes__{AciNodeName}__MaxReadInterval"] = "00:00:08",
        [$"Nodes__{AciNodeName}__RetryBaseDelay"] = "00:00:00.200",
        [$"Nodes__{AciNodeName}__Labels__type"] = "virtual-kubelet",
        [$"Nodes__{AciNodeName}__Taints__0"] = AciTaint,
    };

    /// <summary>Runs a command to completion.</summary>
    /// <param name="file">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">How long it may take before it is killed and the test fails.</param>
    /// <param name="environment">Variables to add to its environment.</param>
    /// <returns>Its exit code and output.</returns>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}: {stdout}{stderr}");
        }

        return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

}
