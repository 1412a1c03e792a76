using DurableKube.Ports.Workflows;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Hosting;

/// <summary>
/// The workflow worker of a host that does not run its own: the Functions app's belongs to the Durable extension, which
/// the app cannot restart. Asked to, it says so in the log (an error: what it was asked for is not done) and answers
/// <see langword="false"/>. The local host registers its own Durable Task worker instead.
/// </summary>
public sealed class ExtensionWorkflowWorker : IWorkflowWorker
{
    private readonly ILogger<ExtensionWorkflowWorker> _logger;

    /// <summary>Initializes a new instance of the <see cref="ExtensionWorkflowWorker"/> class.</summary>
    /// <param name="logger">The logger.</param>
    public ExtensionWorkflowWorker(ILogger<ExtensionWorkflowWorker> logger) => _logger = logger;

    /// <inheritdoc />
    public Task<bool> RestartAsync(string reason, CancellationToken cancellationToken = default)
    {
        Log.WorkerNotRestartable(_logger, reason);
        return Task.FromResult(false);
    }
}
