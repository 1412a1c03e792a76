namespace DurableKube.Ports.Workflows;

/// <summary>
/// The deterministic instance id of the workflow behind an object (one instance per object): a prefix per resource and
/// the object's uid. The workflows name their instances with these prefixes (<c>PodIdentity.WorkflowInstanceIdFor</c>,
/// each controller's <c>ControllerDefinition</c>); a test holds the two together. The API reads them to show the
/// workflow behind an object without referencing the workflows.
/// </summary>
public static class WorkflowInstanceNames
{
    /// <summary>The prefix of the garbage collector's workflow for an owner (<c>gc-&lt;owner uid&gt;</c>).</summary>
    public const string GarbageCollectionPrefix = "gc-";

    /// <summary>The instance prefix of each resource (group-qualified plural) whose objects have a workflow of their own.</summary>
    public static readonly IReadOnlyDictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pods"] = "pod-",
        ["replicasets.apps"] = "rs-",
        ["deployments.apps"] = "deploy-",
        ["statefulsets.apps"] = "sts-",
        ["jobs.batch"] = "job-",
        ["cronjobs.batch"] = "cronjob-",
        ["services"] = "svc-",
        ["namespaces"] = "ns-",
        ["nodes"] = "nodelc-",
    };

    /// <summary>The instance id of an object's own workflow.</summary>
    /// <param name="groupResource">The group-qualified plural (<c>pods</c>, <c>replicasets.apps</c>).</param>
    /// <param name="uid">The object's uid.</param>
    /// <returns>The instance id, or <see langword="null"/> when objects of that resource have no workflow of their own.</returns>
    public static string? For(string groupResource, string uid) =>
        Prefixes.TryGetValue(groupResource, out var prefix) ? prefix + uid : null;
}
