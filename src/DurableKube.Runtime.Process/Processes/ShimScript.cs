using System.Runtime.Versioning;
using System.Text;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>
/// The POSIX <c>sh</c> script every run is started through: <c>setsid /bin/sh shim-&lt;hash&gt;.sh &lt;run dir&gt;</c>.
/// It is the container's parent for the container's whole life, so the exit code is recorded even
/// when the runtime that started it is gone. See README.md of this project for why each line is there.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ShimScript
{
    /// <summary>The shell that runs the shim (dash on Debian).</summary>
    public const string Shell = "/bin/sh";

    /// <summary>The name of the file in a run folder that script's child sources on the terminal of a container with <c>tty: true</c>.</summary>
    public const string TerminalFileName = "tty.sh";

    /// <summary>The script. It reads its run directory from <c>$1</c> and the container's argv from <c>argv.sh</c> there.</summary>
    public const string Text = """
        # DurableKube process runtime shim: runs one container and records how it ended.
        # Started as `setsid /bin/sh <this file> <run dir>`: in a session and process group of its own, so
        # nothing sent to the runtime's process group or terminal reaches it, and it outlives the runtime.
        #
        # Only SIGKILL ends the shim. The container does not inherit these dispositions: `env --default-signal`
        # resets every signal to its default just before the container's command is executed.
        trap '' HUP INT QUIT TERM PIPE USR1 USR2 ALRM TSTP TTIN TTOU
        dir=$1
        # Nothing of the runtime is kept open: a dead runtime's pipes must not stop or signal anything here.
        exec </dev/null >/dev/null 2>>"$dir/shim.err"
        printf '%s\n' "$$" >"$dir/shim.pid"
        # Sets the positional parameters to:
        #   setsid env -i --default-signal -- NAME=VALUE... COMMAND ARG...
        # setsid: the container becomes the leader of a new session and process group, whose id is its pid,
        #   so the runtime can signal it and everything it spawns at once (kill -- -pid).
        # env -i: the environment is exactly the container's (this shell's own is not passed on).
        # For a container with tty: true, to `script -q -e -E always -c ". <run dir>/tty.sh" /dev/null` instead, and sets
        # terminal=1: util-linux script makes a pseudo-terminal, runs the container as its child on it (a new session whose
        # controlling terminal it is), copies the input to it and its output to stdout, and exits with the container's code.
        terminal=
        . "$dir/argv.sh"
        # Output goes straight to files: no pipe to any process that could die before the container.
        # A container with stdin: true (or tty: true) reads the FIFO "stdin" (kubectl attach writes to it). The shim holds it
        # open for reading and writing, so opening it never blocks and the container's input never ends while the shim lives.
        input=/dev/null
        if [ -p "$dir/stdin" ]; then exec 3<>"$dir/stdin"; input="$dir/stdin"; fi
        "$@" <"$input" 3>&- >"$dir/stdout" 2>"$dir/stderr" &
        child=$!
        # On a terminal the container is script's child and writes its pid itself (tty.sh).
        [ -n "$terminal" ] || printf '%s\n' "$child" >"$dir/pid"
        wait "$child"
        code=$?
        if [ -n "$terminal" ]; then read -r child <"$dir/pid" || child=; fi
        # Like the end of a container's PID namespace: what the container left in its group goes with it.
        [ -z "$child" ] || kill -s KILL -- "-$child" 2>/dev/null
        printf '%s\n' "$code" >"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"

        """;

    private static readonly ContentNamedScript Script = new("shim", Text);

    /// <summary>Gets the script's file name, which changes with its content so a running container's script is never rewritten.</summary>
    public static string FileName => Script.FileName;

    /// <summary>Writes the script into the root unless it is there.</summary>
    /// <param name="root">The state root.</param>
    /// <returns>The script's path.</returns>
    public static string Install(string root) => Script.Install(root);

    /// <summary>Builds <c>argv.sh</c>: a <c>set --</c> line the shim sources.</summary>
    /// <param name="setsid">The path of util-linux <c>setsid</c>.</param>
    /// <param name="env">The path of GNU coreutils <c>env</c>.</param>
    /// <param name="environment">The container's environment.</param>
    /// <param name="command">The container's command and arguments.</param>
    /// <param name="prefix">Words that run the rest (a run with volume mounts: <c>unshare ... /bin/sh mounts-&lt;hash&gt;.sh &lt;run dir&gt; &lt;working dir&gt;</c>), or none.</param>
    /// <returns>The script text.</returns>
    public static string BuildArgv(
        string setsid,
        string env,
        IEnumerable<KeyValuePair<string, string>> environment,
        IEnumerable<string> command,
        IEnumerable<string>? prefix = null)
    {
        var text = new StringBuilder("set --");
        foreach (var word in (prefix ?? []).Concat([setsid, env, "-i", "--default-signal", "--"])
            .Concat(environment.Select(pair => $"{pair.Key}={pair.Value}"))
            .Concat(command))
        {
            text.Append(" \\\n  ").Append(Quote(word));
        }

        return text.Append('\n').ToString();
    }

    /// <summary>
    /// Builds <c>argv.sh</c> of a container with <c>tty: true</c>: the shim runs util-linux <c>script</c>, whose child (on the new
    /// terminal) sources <c>tty.sh</c> (<see cref="BuildTerminal"/>).
    /// </summary>
    /// <param name="script">The path of util-linux <c>script</c>.</param>
    /// <param name="terminalFile">The run's <c>tty.sh</c>.</param>
    /// <param name="prefix">Words that run the rest (a run with volume mounts), or none.</param>
    /// <returns>The script text.</returns>
    public static string BuildTerminalArgv(string script, string terminalFile, IEnumerable<string>? prefix = null)
    {
        var text = new StringBuilder("terminal=1\nset --");
        foreach (var word in (prefix ?? []).Concat([script, "-q", "-e", "-E", "always", "-c", TerminalCommand(terminalFile), "/dev/null"]))
        {
            text.Append(" \\\n  ").Append(Quote(word));
        }

        return text.Append('\n').ToString();
    }

    /// <summary>
    /// Builds <c>tty.sh</c>, which script's child sources on the terminal: it writes its pid (the container's: the leader of
    /// the terminal's session and of its own process group) and executes <c>env -i --default-signal -- NAME=VALUE... COMMAND ARG...</c>.
    /// </summary>
    /// <param name="env">The path of GNU coreutils <c>env</c>.</param>
    /// <param name="environment">The container's environment.</param>
    /// <param name="command">The container's command and arguments.</param>
    /// <param name="pidFile">The run's <c>pid</c> file.</param>
    /// <returns>The script text.</returns>
    public static string BuildTerminal(string env, IEnumerable<KeyValuePair<string, string>> environment, IEnumerable<string> command, string pidFile)
    {
        var text = new StringBuilder("set --");
        foreach (var word in new[] { env, "-i", "--default-signal", "--" }
            .Concat(environment.Select(pair => $"{pair.Key}={pair.Value}"))
            .Concat(command))
        {
            text.Append(" \\\n  ").Append(Quote(word));
        }

        return text.Append("\nprintf '%s\\n' \"$$\" >").Append(Quote(pidFile)).Append("\nexec \"$@\"\n").ToString();
    }

    /// <summary>The string script's child runs with <c>/bin/sh -c</c>: sources the run's <c>tty.sh</c>.</summary>
    /// <param name="terminalFile">The run's <c>tty.sh</c>.</param>
    /// <returns>The command string.</returns>
    public static string TerminalCommand(string terminalFile) => ". " + Quote(terminalFile);

    /// <summary>Quotes a word for sh: single quotes, with each <c>'</c> written as <c>'\''</c>.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The quoted word.</returns>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
    }

    /// <summary>Tells whether a process's arguments are those of the shim of a given run.</summary>
    /// <param name="commandLine">The process's arguments.</param>
    /// <param name="runDirectory">The run's folder.</param>
    /// <returns>Whether the process is that run's shim.</returns>
    public static bool IsShimOf(IReadOnlyList<string>? commandLine, string runDirectory)
    {
        if (commandLine is not { Count: 3 } || commandLine[0] != Shell
            || !Path.GetFileName(commandLine[1]).StartsWith("shim-", StringComparison.Ordinal))
        {
            return false;
        }

        // The same run folder, even if the root was spelled differently by the runtime that started it:
        // the last five segments (pods/<uid>/containers/<name>/<attempt>) name a run uniquely.
        return commandLine[2] == runDirectory || Tail(commandLine[2]) == Tail(runDirectory);
    }

    /// <summary>
    /// Tells whether a container process has not yet executed the container's command: it is still the shim's
    /// forked subshell, or setsid, or env. Until env has run, the shim's ignored signals are still ignored, so a
    /// signal sent then would be lost.
    /// </summary>
    /// <param name="commandLine">The container process's arguments now.</param>
    /// <param name="runDirectory">The run's folder.</param>
    /// <param name="tools">The host programs the shim runs.</param>
    /// <returns>Whether the process is still on its way to the command.</returns>
    public static bool IsLaunching(IReadOnlyList<string>? commandLine, string runDirectory, HostTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (commandLine is null)
        {
            return false;
        }

        if (commandLine is [] or [""])
        {
            // Mid-exec (the new image's arguments are not set up yet) or a zombie about to be reaped: not the command yet.
            return true;
        }

        if (IsShimOf(commandLine, runDirectory) || IsMounting(commandLine, tools) || IsSourcingTerminal(commandLine))
        {
            return true;
        }

        var offset = commandLine[0] == tools.Setsid && commandLine.Count > 1 && commandLine[1] == tools.Env ? 1
            : commandLine[0] == tools.Env ? 0
            : -1;
        return offset >= 0 && commandLine.Count > offset + 3
            && commandLine[offset + 1] == "-i" && commandLine[offset + 2] == "--default-signal" && commandLine[offset + 3] == "--";
    }

    /// <summary>
    /// Tells whether a process is in the steps a run with volume mounts takes before <c>setsid</c>: <c>unshare</c>, the mount
    /// script, <c>chroot</c> into the container's new root, or the shell that changes to the working directory there.
    /// </summary>
    private static bool IsMounting(IReadOnlyList<string> commandLine, HostTools tools) =>
        (commandLine[0] == tools.Unshare && commandLine.Contains("--mount"))
        || (commandLine is [Shell, var script, ..] && Path.GetFileName(script).StartsWith("mounts-", StringComparison.Ordinal))
        || (commandLine is [var chroot, ".", Shell, "-c", MountScript.ChdirScript, ..] && Path.GetFileName(chroot) == "chroot")
        || commandLine is [Shell, "-c", MountScript.ChdirScript, ..];

    /// <summary>Tells whether a process is script's child of a run with a terminal, before it executes <c>env</c> (<see cref="TerminalCommand"/>).</summary>
    private static bool IsSourcingTerminal(IReadOnlyList<string> commandLine) =>
        commandLine is [Shell, "-c", var line] && line.StartsWith(". '", StringComparison.Ordinal)
        && line.EndsWith("/" + TerminalFileName + "'", StringComparison.Ordinal);

    private static string Tail(string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        return segments.Length < 5 ? path : string.Join('/', segments[^5..]);
    }
}
