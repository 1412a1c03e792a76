using System.Globalization;
using k8s;
using k8s.Models;

namespace DurableKube.LocalHost.Tests;

/// <summary>
/// What the fault tests look at besides the API: the runs a container really made (each run of their commands appends a
/// line to a file of its own, so a file's line count is the number of runs the process runtime started), and the
/// processes the process runtime has under its state directory (read from /proc: a shim's command line names its run
/// folder, <c>pods/&lt;uid&gt;/containers/&lt;name&gt;/&lt;attempt&gt;</c>; a container's working directory is its pod's
/// sandbox).
/// </summary>
internal static class FaultProbe
{
    /// <summary>
    /// How a pod stands and what its workflow waits for (the dashboard's workflow view: status, custom status, recent
    /// history), for a test that gave up waiting on it to say where it stopped.
    /// </summary>
    /// <param name="http">An HTTP client of the host, signed in.</param>
    /// <param name="pod">The pod as last read.</param>
    /// <returns>One line.</returns>
    public static async Task<string> DescribeAsync(HttpClient http, V1Pod pod)
    {
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State;
        var state = container is null ? "no container status"
            : container.Running is not null ? "running"
            : container.Terminated is { } t ? $"terminated {t.ExitCode} {t.Reason}"
            : $"waiting {container.Waiting?.Reason}";
        string workflow;
        try
        {
            workflow = await http.GetStringAsync($"/ui/api/workflow/pods/{pod.Namespace()}/{pod.Name()}");
        }
        catch (HttpRequestException e)
        {
            workflow = $"(not read: {e.Message})";
        }

        return $"{pod.Name()}: {pod.Status?.Phase} node={pod.Spec?.NodeName} PodScheduled={scheduled?.Status} {scheduled?.Reason} {scheduled?.Message}; "
            + $"{state}; workflow: {workflow[..Math.Min(workflow.Length, 3000)]}";
    }

    /// <summary>The number of runs recorded in a run-count file (0 if none ran).</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its line count.</returns>
    public static int Runs(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Count(line => line.Length > 0) : 0;

    /// <summary>
    /// Finds what is wrong with the processes of the runtime rooted at <paramref name="runtimeRoot"/> against the pods
    /// that exist: a process of a pod that is gone or has finished (an orphan), and a running container of a pod that
    /// has not exactly one live run (shim) or whose container process is gone.
    /// </summary>
    /// <param name="runtimeRoot">The process runtime's state directory.</param>
    /// <param name="pods">Every pod there is now (all namespaces).</param>
    /// <param name="node">The process node's name (pods bound elsewhere have no processes here).</param>
    /// <returns>One line per problem; none when all is well.</returns>
    public static List<string> ProcessProblems(string runtimeRoot, IReadOnlyList<V1Pod> pods, string node)
    {
        var podsDirectory = Path.Combine(runtimeRoot, "pods") + "/";
        var shims = new Dictionary<(string Uid, string Container), HashSet<string>>();
        var processesByUid = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] arguments;
            string cwd;
            try
            {
                arguments = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? string.Empty;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var under = arguments.FirstOrDefault(a => a.StartsWith(podsDirectory, StringComparison.Ordinal))
                ?? (cwd.StartsWith(podsDirectory, StringComparison.Ordinal) ? cwd : null);
            if (under is null)
            {
                continue;
            }

            // pods/<uid>/containers/<name>/<attempt> for a shim; pods/<uid>/sandbox (or a volume) for a container.
            var parts = under[podsDirectory.Length..].Split('/');
            var uid = parts[0];
            if (!processesByUid.TryGetValue(uid, out var list))
            {
                processesByUid[uid] = list = [];
            }

            list.Add(pid);
            var isShim = arguments.Length >= 2 && arguments.Any(a => Path.GetFileName(a).StartsWith("shim-", StringComparison.Ordinal));
            if (isShim && parts.Length >= 4 && parts[1] == "containers")
            {
                var key = (uid, parts[2]);
                if (!shims.TryGetValue(key, out var attempts))
                {
                    shims[key] = attempts = [];
                }

                attempts.Add(parts[3]);
            }
        }

        var problems = new List<string>();
        var byUid = pods.Where(p => p.Metadata?.Uid is not null).ToDictionary(p => p.Metadata.Uid, StringComparer.Ordinal);
        foreach (var (uid, pids) in processesByUid)
        {
            if (!byUid.TryGetValue(uid, out var pod))
            {
                problems.Add($"orphan: processes {string.Join(',', pids)} belong to pod uid {uid}, which no longer exists");
            }
            else if (pod.Status?.Phase is "Succeeded" or "Failed")
            {
                problems.Add($"orphan: processes {string.Join(',', pids)} belong to pod {pod.Namespace()}/{pod.Name()}, which has {pod.Status.Phase}");
            }
        }

        foreach (var pod in pods.Where(p => p.Spec?.NodeName == node && p.Metadata?.DeletionTimestamp is null && p.Status?.Phase == "Running"))
        {
            foreach (var status in pod.Status.ContainerStatuses ?? [])
            {
                if (status.State?.Running is null)
                {
                    continue;
                }

                var attempts = shims.GetValueOrDefault((pod.Uid(), status.Name)) ?? [];
                if (attempts.Count != 1)
                {
                    problems.Add($"pod {pod.Namespace()}/{pod.Name()} container {status.Name} is Running with {attempts.Count} live runs ({string.Join(',', attempts)})");
                    continue;
                }

                var pidFile = Path.Combine(podsDirectory, pod.Uid(), "containers", status.Name, attempts.Single(), "pid");
                if (!File.Exists(pidFile)
                    || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var containerPid)
                    || !Directory.Exists($"/proc/{containerPid}"))
                {
                    problems.Add($"pod {pod.Namespace()}/{pod.Name()} container {status.Name} is Running, but its run {attempts.Single()} has no live container process");
                }
            }
        }

        return problems;
    }
}
