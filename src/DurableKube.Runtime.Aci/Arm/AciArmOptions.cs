using System.ComponentModel.DataAnnotations;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>Where the container groups of one ACI node live, and how patiently ARM is talked to.</summary>
public sealed class AciArmOptions
{
    /// <summary>The API version of <c>Microsoft.ContainerInstance</c> this client speaks.</summary>
    public const string DefaultApiVersion = "2025-09-01";

    /// <summary>The OAuth scope of Azure Resource Manager.</summary>
    public const string ManagementScope = "https://management.azure.com/.default";

    /// <summary>Gets or sets ARM's endpoint; tests point it at the fake ARM server. It must be https: bearer tokens are never sent in clear.</summary>
    [Required]
    public Uri Endpoint { get; set; } = new("https://management.azure.com");

    /// <summary>Gets or sets the subscription holding the node's resource group.</summary>
    [Required]
    [MinLength(1)]
    public string SubscriptionId { get; set; } = "";

    /// <summary>Gets or sets the resource group the node's container groups are created in (and listed from).</summary>
    [Required]
    [MinLength(1)]
    public string ResourceGroup { get; set; } = "";

    /// <summary>Gets or sets the api-version sent with every request.</summary>
    [Required]
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>Gets or sets how many times a throttled (429), failed (5xx), dropped or timed-out request is tried again.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Gets or sets the first back-off delay; each retry doubles it, with jitter, unless ARM says <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest wait before a retry. A <c>Retry-After</c> longer than this is not waited out inside one
    /// call: the call fails as transient and the caller (a durable workflow) tries again later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long one request may take before it is abandoned (and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a long-running operation is polled when ARM gives no <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan OperationPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a caller that waits for a long-running operation waits at most.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
