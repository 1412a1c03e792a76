namespace DurableKube.Runtime.Process.State;

/// <summary>The container process as the runtime saw it while the shim vouched for it: pid plus start time name it for good.</summary>
/// <param name="Pid">The process id (also its process group and session id).</param>
/// <param name="StartTime">Its start time in clock ticks after boot.</param>
internal readonly record struct ChildIdentity(int Pid, ulong StartTime);
