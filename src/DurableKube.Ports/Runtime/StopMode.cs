namespace DurableKube.Ports.Runtime;

/// <summary>How to stop a run.</summary>
public enum StopMode
{
    /// <summary>Ask it to stop (SIGTERM, or the runtime's equivalent), leaving it time to finish.</summary>
    Graceful,

    /// <summary>End it now (SIGKILL).</summary>
    Kill,
}
