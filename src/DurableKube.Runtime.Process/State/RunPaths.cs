namespace DurableKube.Runtime.Process.State;

/// <summary>
/// The files of one run. The shim writes <c>shim.pid</c>, <c>pid</c>, <c>stdout</c>, <c>stderr</c> and <c>exit</c>;
/// the runtime writes the rest.
/// </summary>
/// <param name="Directory">The run's folder.</param>
internal sealed record RunPaths(string Directory)
{
    /// <summary>Gets the launch record (<see cref="LaunchRecord"/>).</summary>
    public string Launch => Path.Combine(Directory, "launch.json");

    /// <summary>Gets the script that sets the shim's positional parameters to the container's argv (removed once the container started).</summary>
    public string Argv => Path.Combine(Directory, "argv.sh");

    /// <summary>Gets the script script's child sources on the terminal of a container with <c>tty: true</c> (removed once the container started).</summary>
    public string Terminal => Path.Combine(Directory, "tty.sh");

    /// <summary>Gets the shim's own pid, written by the shim.</summary>
    public string ShimPid => Path.Combine(Directory, "shim.pid");

    /// <summary>Gets the container process's pid (its process group and session id too), written by the shim.</summary>
    public string Pid => Path.Combine(Directory, "pid");

    /// <summary>Gets the container process's pid and start time, recorded by the runtime while the shim vouched for it.</summary>
    public string Child => Path.Combine(Directory, "child");

    /// <summary>Gets the container's standard output, written by the container itself.</summary>
    public string Stdout => Path.Combine(Directory, "stdout");

    /// <summary>Gets the container's standard error, written by the container itself.</summary>
    public string Stderr => Path.Combine(Directory, "stderr");

    /// <summary>Gets the CRI-format log the runtime's log pump writes.</summary>
    public string Log => Path.Combine(Directory, "log");

    /// <summary>Gets how far the log pump has read stdout and stderr.</summary>
    public string LogPosition => Path.Combine(Directory, "log.pos");

    /// <summary>Gets the marker saying the log holds everything the run wrote.</summary>
    public string Drained => Path.Combine(Directory, "drained");

    /// <summary>Gets how the run ended (<see cref="ExitRecord"/>); its modification time is the finish time.</summary>
    public string Exit => Path.Combine(Directory, "exit");

    /// <summary>Gets the last signal the runtime sent to stop the run.</summary>
    public string Stop => Path.Combine(Directory, "stop");

    /// <summary>Gets the FIFO a container started with <c>stdin: true</c> or <c>tty: true</c> reads its standard input from (the shim holds it open).</summary>
    public string Stdin => Path.Combine(Directory, "stdin");

    /// <summary>Gets the marker saying the exit reached the pod's workflow.</summary>
    public string Ack => Path.Combine(Directory, "ack");
}
