using System.Globalization;
using System.Text;

namespace DurableKube.Bench;

/// <summary>The figures of the bench's last line (issue 11), in the order the line gives them.</summary>
/// <param name="Pods">N, the pods of each scenario.</param>
/// <param name="PodsPerSecond">Pods per second to Running of the burst (N bare pods created by 16 clients).</param>
/// <param name="RunningP50Ms">The burst's create-to-Running median.</param>
/// <param name="RunningP99Ms">The burst's create-to-Running 99th percentile.</param>
/// <param name="BaselinePerSecond">The floor: trivial orchestrations completed per second on the same backend.</param>
/// <param name="DeleteSeconds">Seconds from <c>kubectl delete pods --all</c> until the last of the N pods is gone.</param>
/// <param name="ApiP99Ms">The worst p99 of the API calls measured (create at 16 clients, get, list, list by label).</param>
/// <param name="StorageRequestsPerPod">Storage requests per pod lifecycle, less the idle rate.</param>
/// <param name="ArmRequestsPerPodMinute">ARM requests per pod per minute with the ACI runtime, pods running (null: not measured).</param>
internal sealed record BenchFigures(
    int Pods,
    double PodsPerSecond,
    double RunningP50Ms,
    double RunningP99Ms,
    double BaselinePerSecond,
    double DeleteSeconds,
    double ApiP99Ms,
    double StorageRequestsPerPod,
    double? ArmRequestsPerPodMinute)
{
    /// <summary>Gets pods_per_s / baseline_per_s (0 with a floor of nothing, NaN with none measured).</summary>
    public double Ratio => BaselinePerSecond switch
    {
        double.NaN => double.NaN,
        > 0 => PodsPerSecond / BaselinePerSecond,
        _ => 0,
    };

    /// <summary>The figures before any scenario ran (a run of some phases fills in theirs).</summary>
    /// <param name="pods">N.</param>
    /// <returns>Every figure not measured.</returns>
    public static BenchFigures NotMeasured(int pods) =>
        new(pods, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null);
}

/// <summary>Formats the bench's one last line exactly as issue 11 gives it.</summary>
internal static class BenchLine
{
    /// <summary>The line: <c>bench: pods=N pods_per_s=.. running_p50_ms=.. ... arm_req_per_pod_min=..</c>.</summary>
    /// <param name="f">The figures.</param>
    /// <returns>The line, without a line break; a figure not measured is <c>na</c>.</returns>
    public static string Format(BenchFigures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var line = new StringBuilder("bench:");
        Add(line, "pods", f.Pods.ToString(CultureInfo.InvariantCulture));
        Add(line, "pods_per_s", Number(f.PodsPerSecond, 2));
        Add(line, "running_p50_ms", Number(f.RunningP50Ms, 0));
        Add(line, "running_p99_ms", Number(f.RunningP99Ms, 0));
        Add(line, "baseline_per_s", Number(f.BaselinePerSecond, 2));
        Add(line, "ratio", Number(f.Ratio, 2));
        Add(line, "delete_s", Number(f.DeleteSeconds, 1));
        Add(line, "api_p99_ms", Number(f.ApiP99Ms, 0));
        Add(line, "storage_req_per_pod", Number(f.StorageRequestsPerPod, 1));
        Add(line, "arm_req_per_pod_min", f.ArmRequestsPerPodMinute is { } arm ? Number(arm, 2) : "na");
        return line.ToString();
    }

    private static void Add(StringBuilder line, string name, string value) => line.Append(' ').Append(name).Append('=').Append(value);

    private static string Number(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "na";
}
