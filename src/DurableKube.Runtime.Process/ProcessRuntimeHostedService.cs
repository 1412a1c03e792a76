using System.Runtime.Versioning;
using Microsoft.Extensions.Hosting;

namespace DurableKube.Runtime.Process;

/// <summary>
/// Starts the process runtime with the host (taking its state directory, re-adopting runs) and, on a clean
/// stop, ends every run it holds so no process outlives the host.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ProcessRuntimeHostedService : IHostedService
{
    private readonly ProcessContainerRuntime _runtime;

    /// <summary>Initializes a new instance of the <see cref="ProcessRuntimeHostedService"/> class.</summary>
    /// <param name="runtime">The runtime.</param>
    public ProcessRuntimeHostedService(ProcessContainerRuntime runtime) => _runtime = runtime;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => _runtime.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _runtime.ShutdownAsync(cancellationToken);
}
