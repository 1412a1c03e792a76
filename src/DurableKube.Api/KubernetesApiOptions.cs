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

    /// <summary>Gets or sets the largest request body accepted; the API server's limit is 3 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

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
