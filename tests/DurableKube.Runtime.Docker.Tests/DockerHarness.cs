using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;
using DurableKube.Testing.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableKube.Runtime.Docker.Tests;

/// <summary>
/// A state directory and node name for one test, the runtimes made on them, the test image, and the clean-up: every
/// container and volume labelled with the test's node is removed, even when the test failed.
/// </summary>
internal sealed class DockerHarness : IAsyncDisposable
{
    /// <summary>The test image: a static busybox with its applets installed, whose own command prints and loops.</summary>
    public const string TestImage = "busybox:test";

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly SemaphoreSlim ImageBuild = new(1, 1);
    private readonly List<DockerContainerRuntime> _runtimes = [];

    public DockerHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "durablekube-docker-tests", Guid.NewGuid().ToString("N"));
        NodeName = $"test-{Guid.NewGuid().ToString("N")[..8]}";
    }

    public string Root { get; }

    public string NodeName { get; }

    public DockerContainerRuntime CreateRuntime(Action<DockerRuntimeOptions>? configure = null)
    {
        var options = new DockerRuntimeOptions { Root = Root, NodeName = NodeName, PullWait = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        var runtime = new DockerContainerRuntime(Options.Create(options), TimeProvider.System, NullLogger<DockerContainerRuntime>.Instance);
        _runtimes.Add(runtime);
        return runtime;
    }

    /// <summary>Builds <see cref="TestImage"/> from /bin/busybox once (nothing is downloaded).</summary>
    public static async Task EnsureTestImageAsync(DockerContainerRuntime runtime)
    {
        await ImageBuild.WaitAsync();
        try
        {
            try
            {
                await runtime.Client.Images.InspectImageAsync(TestImage);
                return;
            }
            catch (global::Docker.DotNet.DockerImageNotFoundException)
            {
            }
            catch (global::Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }

            const string dockerfile = "FROM scratch\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCOPY busybox /busybox\nRUN [\"/busybox\", \"mkdir\", \"-p\", \"/bin\"]\nRUN [\"/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
                + "CMD [\"sh\", \"-c\", \"i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done\"]\n";
            await runtime.BuildImageAsync(TestImage, dockerfile, new Dictionary<string, string>(StringComparer.Ordinal) { ["busybox"] = "/bin/busybox" }, CancellationToken.None);
        }
        finally
        {
            ImageBuild.Release();
        }
    }

    public static ContainerLaunch Launch(string podUid, string container, int attempt, params string[] command) =>
        new(new ContainerRunId(podUid, container, attempt), "default", $"pod-{podUid}", TestImage, command, [], null);

    public SandboxSpec Sandbox(string podUid, params SandboxVolume[] volumes) =>
        new(podUid, "default", $"pod-{podUid}", NodeName) { Volumes = volumes };

    public static Task<ContainerRunStatus> WaitForExitAsync(IContainerRuntime runtime, ContainerRunId id) =>
        RuntimeWait.ForExitAsync(runtime, id, Patience, TimeSpan.FromMilliseconds(100));

    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        RuntimeWait.UntilAsync(condition, timeout ?? Patience, TimeSpan.FromMilliseconds(100));

    public static async Task<List<LogLine>> ReadLogAsync(IContainerRuntime runtime, ContainerRunId id, LogReadOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var lines = new List<LogLine>();
        await foreach (var line in runtime.ReadLogAsync(id, options ?? new LogReadOptions(), timeout.Token))
        {
            lines.Add(line);
        }

        return lines;
    }

    public static async Task<(string Stdout, string Stderr, int Code)> ExecAsync(IContainerRuntime runtime, ContainerRunId id, params string[] command)
    {
        await using var session = await runtime.ExecAsync(id, new ExecSpec(command));
        using var timeout = new CancellationTokenSource(Patience);
        var stdout = new StreamReader(session.Stdout).ReadToEndAsync(timeout.Token);
        var stderr = session.Stderr is null ? Task.FromResult(string.Empty) : new StreamReader(session.Stderr).ReadToEndAsync(timeout.Token);
        var code = await session.Exited.WaitAsync(timeout.Token);
        return (await stdout, await stderr, code);
    }

    /// <summary>Lists every container carrying the test node's label (including a sandbox).</summary>
    public async Task<IList<ContainerListResponse>> OurContainersAsync()
    {
        var client = _runtimes[0].Client;
        return await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
            {
                ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [$"io.durablekube.node={NodeName}"] = true },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_runtimes.Count > 0)
        {
            var client = _runtimes[0].Client;
            foreach (var container in await OurContainersAsync())
            {
                await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            }

            var volumes = await client.Volumes.ListAsync(new VolumesListParameters());
            foreach (var volume in (volumes.Volumes ?? []).Where(v => v.Labels?.ContainsKey("io.durablekube.pod-uid") == true && v.Name.StartsWith("dk_t", StringComparison.Ordinal)))
            {
                await client.Volumes.RemoveAsync(volume.Name, force: true);
            }
        }

        foreach (var runtime in _runtimes)
        {
            runtime.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
