using System.ComponentModel.DataAnnotations;

namespace DurableKube.Api;

/// <summary>
/// Settings of the Kubernetes API, bound from the configuration section <see cref="SectionName"/>.
/// </summary>
/// <remarks>
/// Serverless HTTP has a hard limit on how long one response may last (about 230 seconds behind
/// Azure's front end, whatever the Functions timeout says), so long watches and log follows are cut
/// by the platform. <see cref="MaxWatchTimeoutSeconds"/> is under that limit there (200 by default): the server
/// then ends each watch itself, with a final bookmark, and clients (kubectl, the C# client) re-list
/// and watch again as they do against a real API server.
/// </remarks>
public sealed class KubernetesApiOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "KubernetesApi";

    /// <summary>
    /// Gets or sets the address the <c>kubernetes</c> Service's Endpoints name (kube-apiserver's <c>--advertise-address</c>):
    /// the local host sets 127.0.0.1; unset (the Functions app, whose address is a host name), the Service has no endpoints.
    /// </summary>
    public string? AdvertiseAddress { get; set; }

    /// <summary>Gets or sets the port the API serves on, the <c>kubernetes</c> Service's targetPort (the local host's port; 443 in Azure).</summary>
    [Range(1, 65535)]
    public int AdvertisePort { get; set; } = 443;

    /// <summary>
    /// Gets or sets the API server's <c>--min-request-timeout</c>: a watch without <c>timeoutSeconds</c> lasts this
    /// long times a random factor in [1, 2). Default 1800 (30 to 60 minutes).
    /// </summary>
    [Range(1, 86400)]
    public int WatchTimeoutSeconds { get; set; } = 1800;

    /// <summary>
    /// Gets or sets the longest a watch may last, whatever the client asks; <see langword="null"/> (the local host's
    /// default) for no limit beyond the client's <c>timeoutSeconds</c>. The Functions app defaults to 200, under Azure's cut.
    /// </summary>
    [Range(1, 86400)]
    public int? MaxWatchTimeoutSeconds { get; set; }

    /// <summary>Gets or sets how often a watch that allows bookmarks gets one. Default 60.</summary>
    [Range(1, 3600)]
    public int BookmarkIntervalSeconds { get; set; } = 60;

    /// <summary>Gets or sets the largest request body accepted (413 beyond); the API server's limit is 3 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the most items one list page returns: a larger <c>limit</c> gets this many and a continue token, as
    /// the API server may return fewer items than asked. A list without a limit (or with one of 0 or less) is not paged.
    /// Default 5000.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxListLimit { get; set; } = 5000;

    /// <summary>
    /// Gets or sets the most watches one client may have open at once (a client is its authenticated user, or its remote
    /// address when authentication is off); one more is refused with 429 TooManyRequests and <c>Retry-After</c>. Default 100.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxWatchesPerClient { get; set; } = 100;

    /// <summary>
    /// Gets or sets the largest total size of a request's path, query and headers (names and values) the API reads;
    /// larger requests are refused with 431 before anything else runs. Default 32 KiB (an Entra ID token is a few KiB).
    /// </summary>
    [Range(4096, 1024 * 1024)]
    public int MaxRequestHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>
    /// Gets or sets how deeply a JSON or YAML body may nest objects and arrays (400 beyond). Default 128: the deepest
    /// Kubernetes object (a pod's affinity terms, a CRD schema aside) nests about 12 levels.
    /// </summary>
    [Range(16, 1000)]
    public int MaxNestingDepth { get; set; } = 128;

    /// <summary>Gets or sets the longest a <c>kubectl logs -f</c> stream lasts before the server ends it. Default 3600.</summary>
    [Range(1, 86400)]
    public int MaxLogFollowSeconds { get; set; } = 3600;

    /// <summary>
    /// Gets or sets a value indicating whether this host serves exec, attach and port-forward, which need a connection
    /// upgrade (WebSocket, SPDY). Default <see langword="true"/>; the Azure Functions host, which cannot upgrade, sets
    /// <see langword="false"/> and those requests answer a Status saying so.
    /// </summary>
    public bool Streaming { get; set; } = true;

    /// <summary>Gets or sets how many times create retries a generated name that is taken. Default 8.</summary>
    [Range(1, 100)]
    public int GenerateNameRetries { get; set; } = 8;
}
