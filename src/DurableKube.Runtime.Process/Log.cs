using DurableKube.Ports.Runtime;
using Microsoft.Extensions.Logging;

namespace DurableKube.Runtime.Process;

/// <summary>The process runtime's log messages (event ids 3000-3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Process runtime started on {Root}; re-adopted {Count} running container run(s)")]
    public static partial void RuntimeStarted(ILogger logger, string root, int count);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Started container run {Id}: shim pid {ShimPid}, container pid {ContainerPid}")]
    public static partial void RunStarted(ILogger logger, ContainerRunId id, int shimPid, int? containerPid);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Container run {Id} could not start: {Message}")]
    public static partial void RunStartError(ILogger logger, ContainerRunId id, string message);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Container run {Id} exited with code {ExitCode}")]
    public static partial void RunExited(ILogger logger, ContainerRunId id, int? exitCode);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Re-adopted running container run {Id}")]
    public static partial void RunAdopted(ILogger logger, ContainerRunId id);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Container run {Id} ended without its shim recording an exit; recorded {ExitCode} {Reason}")]
    public static partial void RunVanished(ILogger logger, ContainerRunId id, int exitCode, string? reason);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "Container run {Id} was put in place but its shim never started (the runtime died in between); removed, to be started when asked again")]
    public static partial void RunNeverStarted(ILogger logger, ContainerRunId id);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Sent {Signal} to container run {Id} (process group {ProcessGroup})")]
    public static partial void SignalSent(ILogger logger, string signal, ContainerRunId id, int processGroup);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Did not signal container run {Id}: pid {Pid} no longer belongs to it")]
    public static partial void StaleProcess(ILogger logger, ContainerRunId id, int pid);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Watching container run {Id} failed; trying again")]
    public static partial void WatchFailed(ILogger logger, ContainerRunId id, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Shutting down: sent SIGTERM to {Count} container run(s)")]
    public static partial void ShutdownTerminating(ILogger logger, int count);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Shutting down: sent SIGKILL to {Count} container run(s) still running after the grace period")]
    public static partial void ShutdownKilling(ILogger logger, int count);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Removed the sandbox of pod {PodUid}")]
    public static partial void SandboxRemoved(ILogger logger, string podUid);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Removed container run {Id}, older than the previous run kept")]
    public static partial void RunDiscarded(ILogger logger, ContainerRunId id);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Started a command in container run {Id}: pid {Pid}, terminal {Tty}")]
    public static partial void ExecStarted(ILogger logger, ContainerRunId id, int pid, bool tty);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Containers with volume mounts will be refused: {Reason}")]
    public static partial void NoMountNamespaces(ILogger logger, string reason);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Volume {Volume} of pod {PodUid} asks for memory (tmpfs) but is a folder on disk: this runtime cannot mount a tmpfs as its user")]
    public static partial void VolumeOnDisk(ILogger logger, string podUid, string volume);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information, Message = "Replaced the files of volume {Volume} of pod {PodUid}")]
    public static partial void VolumeUpdated(ILogger logger, string podUid, string volume);
}
