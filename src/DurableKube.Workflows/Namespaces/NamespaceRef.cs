namespace DurableKube.Workflows.Namespaces;

/// <summary>The namespace a termination workflow empties.</summary>
/// <param name="Name">The namespace's name.</param>
/// <param name="Uid">Its uid: a namespace recreated under the same name is another one.</param>
public sealed record NamespaceRef(string Name, string Uid)
{
    /// <summary>Gets the id of the namespace's termination workflow.</summary>
    public string WorkflowInstanceId => "ns-" + Uid;
}
