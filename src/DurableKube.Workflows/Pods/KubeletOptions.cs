using System.ComponentModel.DataAnnotations;
using DurableKube.Domain.Kubelet;

namespace DurableKube.Workflows.Pods;

/// <summary>
/// The kubelet's timings (configuration section <c>Kubelet</c>, e.g. <c>Kubelet__BackoffMax=00:00:04</c>),
/// with Kubernetes' values as defaults.
/// </summary>
public sealed class KubeletOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kubelet";

    /// <summary>Gets or sets the delay before the second restart of a crashing container (Kubernetes: 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BackoffInitial { get; set; } = KubeletSettings.Kubernetes.BackoffInitial;

    /// <summary>Gets or sets the cap of the doubling back-off (Kubernetes: 300 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BackoffMax { get; set; } = KubeletSettings.Kubernetes.BackoffMax;

    /// <summary>Gets or sets how long a run must last for its back-off to start over (Kubernetes: 10 min).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan BackoffReset { get; set; } = KubeletSettings.Kubernetes.BackoffReset;

    /// <summary>
    /// Gets or sets the longest an unschedulable pod waits before it is tried again when nothing happens (Kubernetes:
    /// 5 min); a node added or changed, or a pod removed or finished, tries it sooner.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ScheduleRetry { get; set; } = KubeletSettings.Kubernetes.ScheduleRetry;

    /// <summary>Gets or sets how often a pod-scoped runtime (ACI) is asked whether a sandbox being created has started.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SandboxPoll { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a pod waits before its sandbox is tried again after the runtime could not create it (a quota reached).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SandboxRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a container waiting for a ConfigMap or Secret (CreateContainerConfigError), or a pod waiting
    /// for one of its volumes (FailedMount), waits before it is tried again; the object's creation also wakes it at once.
    /// Kubernetes' pod workers retry such a pod after about 10 s.
    /// </summary>
    public TimeSpan ConfigRetry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether pods on this host's nodes may mount hostPath volumes (default true; ACI refuses them whatever this says).</summary>
    public bool AllowHostPath { get; set; } = true;

    /// <summary>Gets the settings a pod's lifecycle carries.</summary>
    /// <returns>The normalised settings.</returns>
    public KubeletSettings ToSettings() => new KubeletSettings(BackoffInitial, BackoffMax, BackoffReset, ScheduleRetry).Normalize();
}
