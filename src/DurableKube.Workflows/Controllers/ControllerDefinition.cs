using DurableKube.Domain.Resources;
using k8s;
using k8s.Models;

namespace DurableKube.Workflows.Controllers;

/// <summary>What the generic <see cref="ControllerChangeHandler"/> needs to know of one controller kind.</summary>
/// <param name="Kind">The kind it controls objects of, e.g. ReplicaSets.</param>
/// <param name="Orchestration">The name of the kind's controller orchestration.</param>
/// <param name="InstancePrefix">The prefix of its instance ids, e.g. <c>rs-</c> (then the object's uid).</param>
/// <param name="Dependent">The kind of what it creates and controls, e.g. Pods.</param>
/// <param name="Selector">Its selector of candidates for adoption, or <see langword="null"/> for a kind that adopts nothing.</param>
public sealed record ControllerDefinition(
    ResourceType Kind,
    string Orchestration,
    string InstancePrefix,
    ResourceType Dependent,
    Func<IKubernetesObject<V1ObjectMeta>, V1LabelSelector?>? Selector)
{
    /// <summary>The workflow instance of an object of the kind.</summary>
    /// <param name="uid">The object's uid.</param>
    /// <returns>The instance id.</returns>
    public string InstanceIdFor(string uid) => InstancePrefix + uid;
}
