using System.Runtime.Versioning;
using System.Text;

namespace DurableKube.Runtime.Process.Processes;

/// <summary>
/// The POSIX <c>sh</c> script a run with volume mounts goes through between <c>unshare</c> and the container's command:
/// <c>unshare --mount --propagation private -- /bin/sh mounts-&lt;hash&gt;.sh &lt;run dir&gt; &lt;working dir&gt; setsid env ...</c>.
/// In the run's own mount namespace it binds each volume at its mount path (the lines of <c>mounts.sh</c> in the run
/// folder, <c>vol SOURCE TARGET d|f ro|rw</c>), then changes to the working directory and executes the rest of its
/// arguments in the same process, so the container's pid is the one the shim recorded. See README.md of this project.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class MountScript
{
    /// <summary>The name of the file in a run folder that lists the run's mounts.</summary>
    public const string MountsFileName = "mounts.sh";

    /// <summary>The name of the file in a run folder where the script says why it failed (it then exits 128 before the container's command runs).</summary>
    public const string ErrorFileName = "mount.err";

    /// <summary>The script. <c>$1</c> is the run folder, <c>$2</c> the working directory, the rest the command to execute.</summary>
    public const string Text = """
        # DurableKube process runtime: binds a container's volumes in its own mount namespace, then executes it.
        # Started by the shim as `unshare --mount --propagation private -- /bin/sh <this file> <run dir> <working dir> ARGV...`:
        # nothing mounted here is seen outside this process and its children. Every mount is -n: nothing is recorded in
        # /run/mount (which a user namespace of an unprivileged runtime may not write, failing the mount after the fact).
        dir=$1; wd=$2; shift 2
        # R: the container's root while it is being built aside (a mount point missing under "/" needs one), else "".
        R=
        n=0
        covered='
        '
        mounted='
        '
        created='
        '
        fail() { printf '%s\n' "$*" >"$dir/mount.err"; printf '%s\n' "$*" >&2; exit 128; }
        listed() { case "$2" in *"
        $1
        "*) return 0;; esac; return 1; }
        inside() { printf '%s' "$2" | { while IFS= read -r m; do [ -n "$m" ] || continue; case "$1" in "$m"|"$m"/*) exit 0;; esac; done; exit 1; }; }
        # cover DIR: a tmpfs takes DIR's place, holding DIR as the host has it at .dk-host and, for each of its entries, a
        # symbolic link into .dk-host; so a mount point can be created in DIR without creating it on the host. Built aside
        # (unbindable, so binds of the host's folders do not copy it), then moved over DIR; "/" becomes the new root at the
        # end. A DIR that is one of our links in a covered parent is made a folder of that tmpfs and covered in place.
        cover() {
          p=$1; q=${p%/*}; [ -n "$q" ] || q=/
          set -- $(stat -c '%a %u:%g' "$R$p") || return 1
          if [ "$p" != / ] && [ -L "$R$p" ] && listed "$q" "$covered"; then
            src="$R$q/$(readlink "$R$p")"; s="$R$p"; aside=
            rm "$R$p" && mkdir "$R$p" || return 1
          else
            src="$R$p"; s="$dir/.cover$n"; n=$((n+1)); aside=1
            mkdir -p "$s" || return 1
          fi
          mount -n -t tmpfs -o "mode=$1" --make-unbindable tmpfs "$s" || return 1
          # The owner cannot be given in a user namespace that does not map it (an unprivileged runtime): then it stays ours.
          chown "$2" "$s" 2>/dev/null
          mkdir "$s/.dk-host" && mount -n --rbind "$src" "$s/.dk-host" || return 1
          # A link of the host's DIR is copied as it is (a relative target then means what it means on the host); any
          # other entry becomes a link into .dk-host. Two processes in all, however many entries.
          ( cd "$s" && set -- && for e in .dk-host/* .dk-host/.[!.]* .dk-host/..?*; do
              if [ -L "$e" ]; then set -- "$@" "$e"; fi
            done; [ $# -eq 0 ] || cp -P -t . -- "$@" ) || return 1
          ( cd "$s" && set -- && for e in .dk-host/* .dk-host/.[!.]* .dk-host/..?*; do
              if [ -e "$e" ] && [ ! -L "$e" ]; then set -- "$@" "$e"; fi
            done; [ $# -eq 0 ] || ln -s -t . -- "$@" ) || return 1
          if [ "$p" = / ]; then R=$s; elif [ -n "$aside" ]; then mount -n --move "$s" "$R$p" || return 1; fi
          covered="$covered$p
        "
        }
        # ensure PATH d|f: creates a missing mount point, in a covered directory or in a volume mounted before, never on the host.
        ensure() {
          [ -e "$R$1" ] && return 0
          p=${1%/*}
          while [ -n "$p" ] && [ ! -e "$R$p" ]; do p=${p%/*}; done
          [ -n "$p" ] || p=/
          if ! listed "$p" "$covered" && ! inside "$p" "$mounted$created"; then cover "$p" || return 1; fi
          # What is created here is this namespace's own: later mount points under it need no cover.
          c=$1; while [ "${c%/*}" != "$p" ] && [ -n "${c%/*}" ]; do c=${c%/*}; done
          created="$created$c
        "
          if [ "$2" = d ]; then mkdir -p "$R$1"; else mkdir -p "$R${1%/*}" && : >"$R$1"; fi
        }
        # vol SOURCE TARGET d|f ro|rw: binds the host's SOURCE at TARGET, read-only if asked.
        vol() {
          ensure "$2" "$3" || fail "error mounting \"$1\" to rootfs at \"$2\": could not create the mount point"
          mount -n --bind "$1" "$R$2" || fail "error mounting \"$1\" to rootfs at \"$2\""
          if [ "$4" = ro ]; then mount -n -o remount,bind,ro "$R$2" || fail "error mounting \"$1\" to rootfs at \"$2\": could not make it read-only"; fi
          mounted="$mounted$2
        "
        }
        . "$dir/mounts.sh"
        if [ -n "$R" ]; then
          cd "$R" && mount -n --move . / || fail "could not switch to the container's root"
          exec chroot . /bin/sh -c 'cd -- "$0" || exit 128; exec "$@"' "$wd" "$@"
        fi
        cd -- "$wd" || fail "chdir to cwd (\"$wd\") set in config.json failed"
        exec "$@"

        """;

    /// <summary>The script <c>chroot</c> runs in the new root to change to the working directory (kept in one place: <see cref="ShimScript.IsLaunching"/> recognises it).</summary>
    public const string ChdirScript = "cd -- \"$0\" || exit 128; exec \"$@\"";

    private static readonly ContentNamedScript Script = new("mounts", Text);

    /// <summary>Gets the script's file name, which changes with its content so a running container's script is never rewritten.</summary>
    public static string FileName => Script.FileName;

    /// <summary>Writes the script into the root unless it is there.</summary>
    /// <param name="root">The state root.</param>
    /// <returns>The script's path.</returns>
    public static string Install(string root) => Script.Install(root);

    /// <summary>Builds a run's <c>mounts.sh</c>: one <c>vol</c> line per mount, parents before children.</summary>
    /// <param name="mounts">The mounts.</param>
    /// <returns>The script text.</returns>
    public static string BuildMounts(IEnumerable<ResolvedMount> mounts)
    {
        var text = new StringBuilder();
        foreach (var mount in mounts.OrderBy(m => m.Target.Count(c => c == '/')).ThenBy(m => m.Target, StringComparer.Ordinal))
        {
            text.Append("vol ").Append(ShimScript.Quote(mount.Source)).Append(' ').Append(ShimScript.Quote(mount.Target))
                .Append(mount.IsDirectory ? " d" : " f").Append(mount.ReadOnly ? " ro" : " rw").Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>A volume mount of a run, resolved to the host path bound at the container's path.</summary>
/// <param name="Source">The host path (a volume's folder, a sub path of it, a host path).</param>
/// <param name="Target">The absolute path in the container.</param>
/// <param name="IsDirectory">Whether the source is a directory (else a file is the mount point).</param>
/// <param name="ReadOnly">Whether the mount is read-only.</param>
internal sealed record ResolvedMount(string Source, string Target, bool IsDirectory, bool ReadOnly);

/// <summary>Maps paths of a container with volume mounts to the host's.</summary>
internal static class MountPaths
{
    /// <summary>Maps a path in the container to the host path it shows: through the deepest mount that holds it, else itself.</summary>
    /// <param name="mounts">The container's mounts.</param>
    /// <param name="path">An absolute path in the container.</param>
    /// <returns>The host path.</returns>
    public static string ToHost(IReadOnlyList<ResolvedMount> mounts, string path)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        var full = Path.GetFullPath(path);
        ResolvedMount? best = null;
        foreach (var mount in mounts)
        {
            if ((full == mount.Target || full.StartsWith(mount.Target + "/", StringComparison.Ordinal))
                && (best is null || mount.Target.Length > best.Target.Length))
            {
                best = mount;
            }
        }

        return best is null ? full : best.Source + full[best.Target.Length..];
    }
}
