namespace DurableKube.Domain.Kubelet;

/// <summary>The pod a lifecycle belongs to.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Name">The pod's name.</param>
/// <param name="Uid">The pod's uid: a pod recreated under the same name is another pod.</param>
public sealed record PodIdentity(string Namespace, string Name, string Uid)
{
    /// <summary>Gets the pod as the kubelet names it in messages: <c>name_namespace(uid)</c>.</summary>
    public string KubeletName => $"{Name}_{Namespace}({Uid})";

    /// <summary>Gets the id of the pod's lifecycle workflow: one instance per pod, derived from its uid.</summary>
    public string WorkflowInstanceId => WorkflowInstanceIdFor(Uid);

    /// <summary>Gets the id of the lifecycle workflow of the pod with this uid.</summary>
    /// <param name="uid">The pod's uid.</param>
    /// <returns>The instance id.</returns>
    public static string WorkflowInstanceIdFor(string uid) => "pod-" + uid;
}
