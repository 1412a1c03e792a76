namespace DurableKube.Domain.Kinds;

/// <summary>A subresource a kind serves, e.g. <c>status</c> (get, patch, update) or <c>log</c> (get).</summary>
/// <param name="Name">The subresource name, the last segment of its path.</param>
/// <param name="Verbs">The verbs it serves, as discovery lists them.</param>
/// <param name="ResponseKind">
/// The group, version and kind it answers with when that is not the parent's (a <c>scale</c> answers with an
/// <c>autoscaling/v1</c> Scale, which kubectl's scale client reads from discovery); <see langword="null"/> for the parent's.
/// </param>
public sealed record Subresource(string Name, IReadOnlyList<string> Verbs, (string Group, string Version, string Kind)? ResponseKind = null)
{
    /// <summary>The <c>status</c> subresource: the only way to write an object's status.</summary>
    public static readonly Subresource Status = new("status", ["get", "patch", "update"]);

    /// <summary>The <c>log</c> subresource of pods.</summary>
    public static readonly Subresource Log = new("log", ["get"]);

    /// <summary>The <c>binding</c> subresource of pods: assigns a pod to a node (what a scheduler posts).</summary>
    public static readonly Subresource Binding = new("binding", ["create"], (string.Empty, "v1", "Binding"));

    /// <summary>
    /// The <c>ephemeralcontainers</c> subresource of pods: the only way to add ephemeral containers to a pod
    /// (what <c>kubectl debug</c> patches); it reads and writes the whole pod.
    /// </summary>
    public static readonly Subresource EphemeralContainers = new("ephemeralcontainers", ["get", "patch", "update"]);

    /// <summary>
    /// The <c>eviction</c> subresource of pods: a graceful delete a disruption budget may refuse (what <c>kubectl drain</c>
    /// posts); discovery names its <c>policy/v1</c> Eviction kind, which kubectl looks for.
    /// </summary>
    public static readonly Subresource Eviction = new("eviction", ["create"], ("policy", "v1", "Eviction"));

    /// <summary>The <c>finalize</c> subresource of namespaces: the only way to change their spec finalizers.</summary>
    public static readonly Subresource Finalize = new("finalize", ["update"]);

    /// <summary>The <c>exec</c> subresource of pods: a command in a running container, over a WebSocket.</summary>
    public static readonly Subresource Exec = new("exec", ["create", "get"], (string.Empty, "v1", "PodExecOptions"));

    /// <summary>The <c>attach</c> subresource of pods: a running container's own streams, over a WebSocket.</summary>
    public static readonly Subresource Attach = new("attach", ["create", "get"], (string.Empty, "v1", "PodAttachOptions"));

    /// <summary>The <c>portforward</c> subresource of pods: TCP to the pod's ports over a WebSocket (or SPDY).</summary>
    public static readonly Subresource PortForward = new("portforward", ["create", "get"], (string.Empty, "v1", "PodPortForwardOptions"));

    /// <summary>The <c>scale</c> subresource: reads and writes the replica count as an <c>autoscaling/v1</c> Scale.</summary>
    public static readonly Subresource Scale = new("scale", ["get", "patch", "update"], ("autoscaling", "v1", "Scale"));

    /// <summary>The <c>proxy</c> subresource of Services and Pods: HTTP to a ready endpoint or to the pod's address (<c>{name}[:{port}]/proxy/{path}</c>).</summary>
    public static readonly Subresource Proxy = new("proxy", ["create", "delete", "get", "patch", "update"]);
}
