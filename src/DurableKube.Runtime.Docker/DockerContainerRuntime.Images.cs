using System.Formats.Tar;
using System.Text;
using Docker.DotNet.Models;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Docker;

/// <summary>The pause image: built once from a static busybox when the engine lacks it (no registry is needed).</summary>
public sealed partial class DockerContainerRuntime
{
    /// <summary>The pause image's Dockerfile: busybox's <c>sleep</c> holding the namespaces, nothing else.</summary>
    internal const string PauseDockerfile = "FROM scratch\nCOPY busybox /busybox\nENTRYPOINT [\"/busybox\", \"sleep\", \"2147483647\"]\n";

    private async Task EnsurePauseImageAsync(CancellationToken cancellationToken)
    {
        if (await _images.IsPresentAsync(_options.PauseImage, cancellationToken))
        {
            return;
        }

        await _pauseBuild.WaitAsync(cancellationToken);
        try
        {
            if (await _images.IsPresentAsync(_options.PauseImage, cancellationToken))
            {
                return;
            }

            if (!File.Exists(_options.BusyboxPath))
            {
                throw new ContainerRuntimeException(
                    $"the pause image {_options.PauseImage} is missing and cannot be built: {_options.BusyboxPath} does not exist (install busybox-static)",
                    transient: false);
            }

            await BuildImageAsync(_options.PauseImage, PauseDockerfile, new Dictionary<string, string>(StringComparer.Ordinal) { ["busybox"] = _options.BusyboxPath }, cancellationToken);
            Log.PauseImageBuilt(_logger, _options.PauseImage);
        }
        finally
        {
            _pauseBuild.Release();
        }
    }

    /// <summary>Builds an image through the Engine API's build endpoint from a Dockerfile and host files sent as a tar context.</summary>
    /// <param name="tag">The image's name.</param>
    /// <param name="dockerfile">The Dockerfile's text.</param>
    /// <param name="files">The context's files: name in the context to path on the host.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>A task that completes once the image exists.</returns>
    /// <exception cref="ContainerRuntimeException">The build failed.</exception>
    internal async Task BuildImageAsync(string tag, string dockerfile, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var text = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) };
            await tar.WriteEntryAsync(new UstarTarEntry(text), cancellationToken);
            foreach (var (name, path) in files)
            {
                await tar.WriteEntryAsync(path, name, cancellationToken);
            }
        }

        context.Position = 0;
        string? error = null;
        await _client.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters { Tags = [tag], Remove = true, ForceRemove = true },
            context,
            null,
            null,
            new SyncProgress<JSONMessage>(message => error = string.IsNullOrEmpty(message.ErrorMessage) ? error : message.ErrorMessage),
            cancellationToken);
        if (error is not null || !await _images.IsPresentAsync(tag, cancellationToken))
        {
            throw new ContainerRuntimeException($"building image {tag} failed: {error ?? "the engine made no image"}", transient: false);
        }
    }
}
