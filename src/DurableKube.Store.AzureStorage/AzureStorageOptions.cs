using System.ComponentModel.DataAnnotations;

namespace DurableKube.Store.AzureStorage;

/// <summary>
/// Where the object store and the work queue live (configuration section <c>Storage</c>).
/// </summary>
/// <remarks>
/// With neither a connection string nor service URIs, the store uses the host's own storage account:
/// the configuration value <c>AzureWebJobsStorage</c> when it is a connection string, else its
/// identity-based form (<c>AzureWebJobsStorage__tableServiceUri</c>, <c>__queueServiceUri</c>,
/// <c>__clientId</c>) as the Functions host reads it, else the local emulator
/// (<c>UseDevelopmentStorage=true</c>).
/// </remarks>
public sealed class AzureStorageOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "Storage";

    /// <summary>Gets or sets the storage account connection string; ignored when the service URIs are set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the Table service endpoint (e.g. <c>https://account.table.core.windows.net</c>). When it and
    /// <see cref="QueueServiceUri"/> are set, the store signs in with <c>DefaultAzureCredential</c> (a managed
    /// identity in Azure) instead of a connection string.
    /// </summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Gets or sets the Queue service endpoint; set together with <see cref="TableServiceUri"/>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Gets or sets the client id of a user-assigned managed identity to sign in with, if not the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Gets or sets the table holding objects, the resource version counter and the change log.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "ObjectsTable must be 3-63 letters and digits, starting with a letter.")]
    public string ObjectsTable { get; set; } = "kubeobjects";

    /// <summary>
    /// Gets or sets the queue the object changes of dispatched types go to (the Functions queue trigger reads it).
    /// Changes that keep failing go to <c>&lt;ChangeQueue&gt;-poison</c>, so the name leaves room for that suffix
    /// within the service's 63 characters.
    /// </summary>
    [Required]
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "ChangeQueue must be 3-56 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (its poison queue adds '-poison').")]
    public string ChangeQueue { get; set; } = "kube-changes";

    /// <summary>
    /// Gets or sets how often a watch reads the change log when this process has written nothing
    /// (a write in this process wakes its watches at once).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets how long change-log entries are kept for watches that resume from an older resource version.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ChangeLogRetention { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how often the change-log compactor runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ChangeLogCompactionInterval { get; set; } = TimeSpan.FromMinutes(1);
}
