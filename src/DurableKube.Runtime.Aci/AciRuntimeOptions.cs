using System.ComponentModel.DataAnnotations;
using DurableKube.Runtime.Aci.Arm;

namespace DurableKube.Runtime.Aci;

/// <summary>Settings of one ACI node: where its container groups live, what it offers, how often it looks.</summary>
public sealed class AciRuntimeOptions
{
    /// <summary>Gets or sets the Node's name; its groups carry it as a tag, so nodes may share a resource group.</summary>
    [Required]
    [MinLength(1)]
    public string NodeName { get; set; } = "";

    /// <summary>Gets or sets the Azure region the groups are created in, e.g. <c>westeurope</c>.</summary>
    [Required]
    [MinLength(1)]
    public string Region { get; set; } = "";

    /// <summary>Gets or sets the ARM connection: endpoint, subscription, resource group, retries.</summary>
    [Required]
    public AciArmOptions Arm { get; set; } = new();

    /// <summary>Gets or sets the CPU the node offers, in cores (the region's quota for this node).</summary>
    [Range(0.1, 100_000)]
    public double Cpu { get; set; } = 100;

    /// <summary>Gets or sets the memory the node offers, in GiB.</summary>
    [Range(0.1, 1_000_000)]
    public double MemoryGi { get; set; } = 400;

    /// <summary>Gets or sets how many pods (container groups) the node takes.</summary>
    [Range(1, 100_000)]
    public int Pods { get; set; } = 100;

    /// <summary>Gets or sets the CPU a container that requests none gets, in cores (ACI needs a request; its CLI's default is 1).</summary>
    [Range(0.1, 31)]
    public double DefaultCpu { get; set; } = 1;

    /// <summary>Gets or sets the memory a container that requests none gets, in GB (ACI's CLI default is 1.5).</summary>
    [Range(0.1, 240)]
    public double DefaultMemoryGB { get; set; } = 1.5;

    /// <summary>
    /// Gets or sets how often the node agent observes the node: reads the groups that are due, and lists the resource group
    /// (one read, whatever the number of pods; spaced out further while the node holds few groups, so the list's cost per pod
    /// stays within the read budget).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ObserveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the first wait before a group is read again after it changed (created, restarted, stopped, a container started or exited).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinReadInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the longest wait between two reads of a group nothing changes in (the wait doubles up to it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxReadInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how many groups one observation reads at most, those due longest first; the rest stay due for the
    /// next. ARM's read bucket (per principal and region) holds 250 and gains 25 a second: a node of hundreds of groups
    /// made at once would otherwise read them all in one burst at each step of their back-off and empty it (measured at
    /// 1,000 groups: 519 reads in 10 s), and the kubelets' own calls would get 429 with it. With the defaults, reads stay
    /// under 5 a second whatever happens on the node; settled, a node reads 150 groups every 30 s only past 4,500 groups.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxReadsPerObservation { get; set; } = 150;

    /// <summary>Gets or sets how long a read of a group answers the calls that follow it (one activity's create and starts share one read).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadFreshFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets how often a followed log (<c>kubectl logs -f</c>) is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan LogPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the columns of the terminal ACI runs an exec'd command on (ACI fixes its size at the start).</summary>
    [Range(1, 1000)]
    public int ExecColumns { get; set; } = 80;

    /// <summary>Gets or sets the rows of the terminal ACI runs an exec'd command on.</summary>
    [Range(1, 1000)]
    public int ExecRows { get; set; } = 24;
}
