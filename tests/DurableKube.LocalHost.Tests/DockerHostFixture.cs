namespace DurableKube.LocalHost.Tests;

/// <summary>
/// A second local host, started only when a Docker end-to-end test runs, whose local node is the Docker runtime
/// (<c>Runtime__Kind=docker</c>). Its test image, <see cref="Image"/>, is built from the machine's static busybox
/// (no registry); its containers, which outlive the host by design, are removed by their node label at the end.
/// </summary>
public sealed class DockerHostFixture : LocalHostFixture
{
    /// <summary>The test image: busybox's applets, and a command of its own that prints a tick a second.</summary>
    public const string Image = "busybox:test";

    /// <inheritdoc />
    protected override string RuntimeKind => "docker";

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await BuildTestImageAsync();
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            var ours = await RunAsync("docker", ["ps", "-aq", "--filter", $"label=io.durablekube.node={NodeName}"], TimeSpan.FromMinutes(1));
            var ids = ours.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length > 0)
            {
                await RunAsync("docker", ["rm", "-f", .. ids], TimeSpan.FromMinutes(1));
            }
        }
    }

    /// <summary>Runs the machine's docker CLI and fails the test if it fails.</summary>
    /// <param name="arguments">docker's arguments.</param>
    /// <returns>Its standard output.</returns>
    public static async Task<string> DockerOkAsync(params string[] arguments)
    {
        var result = await RunAsync("docker", arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Output}");
        return result.StandardOutput;
    }

    private static async Task BuildTestImageAsync()
    {
        if ((await RunAsync("docker", ["image", "inspect", Image], TimeSpan.FromMinutes(1))).ExitCode == 0)
        {
            return;
        }

        var context = Directory.CreateTempSubdirectory("durablekube-image-").FullName;
        try
        {
            File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
                FROM scratch
                ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                COPY busybox /busybox
                RUN ["/busybox", "mkdir", "-p", "/bin"]
                RUN ["/busybox", "--install", "-s", "/bin"]
                CMD ["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"]
                """);
            var build = await RunAsync("docker", ["build", "-q", "-t", Image, context], TimeSpan.FromMinutes(3));
            Assert.True(build.ExitCode == 0, $"docker build of {Image} failed: {build.Output}");
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}

/// <summary>The Docker end-to-end tests' one host, started lazily (only when one of them runs).</summary>
[CollectionDefinition(Name)]
public sealed class DockerHostCollection : ICollectionFixture<DockerHostFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Docker host";
}
