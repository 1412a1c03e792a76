namespace DurableKube.Workflows.GarbageCollection;

/// <summary>The owner a garbage collection workflow tends: what its dependents' ownerReferences name.</summary>
/// <param name="ApiVersion">The owner's apiVersion, e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">The owner's kind, e.g. <c>ReplicaSet</c>.</param>
/// <param name="Namespace">The owner's namespace (its dependents'), or <see langword="null"/> for a cluster-scoped owner.</param>
/// <param name="Name">The owner's name.</param>
/// <param name="Uid">The owner's uid: a new object of the same name is another owner.</param>
public sealed record OwnerRef(string ApiVersion, string Kind, string? Namespace, string Name, string Uid)
{
    /// <summary>Gets the id of the owner's garbage collection workflow.</summary>
    public string WorkflowInstanceId => "gc-" + Uid;
}
