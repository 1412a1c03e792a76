using System.Collections.Frozen;
using k8s.Models;

namespace DurableKube.Domain.Patching;

/// <summary>
/// The <c>patchStrategy</c> / <c>patchMergeKey</c> struct tags of the Kubernetes API types, keyed by the
/// KubernetesClient model type that holds the field and the field's JSON name. KubernetesClient's models do
/// not carry these tags, so they are listed here, read from k8s.io/api core/v1, apps/v1, batch/v1 and
/// k8s.io/apimachinery meta/v1 types.go. Every field not listed is untagged: maps merge, lists are replaced.
/// Notably untagged (so replaced whole): <c>tolerations</c>, <c>readinessGates</c>, <c>args</c>,
/// <c>command</c>, <c>envFrom</c>, container statuses, <c>taints</c>, <c>matchExpressions</c>.
/// </summary>
public static class PatchStrategyTable
{
    /// <summary>Gets every tagged field: (model type, JSON field name) to its rule.</summary>
    public static IReadOnlyDictionary<(Type Model, string Field), PatchFieldRule> Rules { get; } = Build();

    /// <summary>Finds the rule of a field.</summary>
    /// <param name="model">The KubernetesClient model type that holds the field, e.g. <see cref="V1PodSpec"/>.</param>
    /// <param name="field">The field's JSON name, e.g. <c>containers</c>.</param>
    /// <returns>The rule; <see cref="PatchFieldRule.None"/> for an untagged field.</returns>
    public static PatchFieldRule Lookup(Type model, string field) =>
        Rules.TryGetValue((model, field), out var rule) ? rule : PatchFieldRule.None;

    private static FrozenDictionary<(Type Model, string Field), PatchFieldRule> Build()
    {
        const PatchStrategy merge = PatchStrategy.Merge;
        const PatchStrategy mergeRetainKeys = PatchStrategy.Merge | PatchStrategy.RetainKeys;
        var rules = new Dictionary<(Type, string), PatchFieldRule>();
        void Add(Type model, string field, PatchStrategy strategy, string? mergeKey = null) =>
            rules.Add((model, field), new PatchFieldRule(strategy, mergeKey));

        // meta/v1
        Add(typeof(V1ObjectMeta), "ownerReferences", merge, "uid");
        Add(typeof(V1ObjectMeta), "finalizers", merge);

        // core/v1: containers (Container and EphemeralContainerCommon carry the same tags)
        foreach (var container in new[] { typeof(V1Container), typeof(V1EphemeralContainer) })
        {
            Add(container, "ports", merge, "containerPort");
            Add(container, "env", merge, "name");
            Add(container, "volumeMounts", merge, "mountPath");
            Add(container, "volumeDevices", merge, "devicePath");
        }

        Add(typeof(V1ContainerStatus), "volumeMounts", merge, "mountPath");
        Add(typeof(V1ContainerStatus), "allocatedResourcesStatus", merge, "name");

        // core/v1: pods
        Add(typeof(V1PodSpec), "volumes", mergeRetainKeys, "name");
        Add(typeof(V1PodSpec), "initContainers", merge, "name");
        Add(typeof(V1PodSpec), "containers", merge, "name");
        Add(typeof(V1PodSpec), "ephemeralContainers", merge, "name");
        Add(typeof(V1PodSpec), "imagePullSecrets", merge, "name");
        Add(typeof(V1PodSpec), "hostAliases", merge, "ip");
        Add(typeof(V1PodSpec), "topologySpreadConstraints", merge, "topologyKey");
        Add(typeof(V1PodSpec), "schedulingGates", merge, "name");
        Add(typeof(V1PodSpec), "resourceClaims", mergeRetainKeys, "name");
        Add(typeof(V1PodSpec), "evictionResponders", merge, "name");
        Add(typeof(V1PodStatus), "conditions", merge, "type");
        Add(typeof(V1PodStatus), "hostIPs", merge, "ip");
        Add(typeof(V1PodStatus), "podIPs", merge, "ip");
        Add(typeof(V1PodStatus), "resourceClaimStatuses", mergeRetainKeys, "name");
        Add(typeof(V1PodStatus), "nodeAllocatableResourceClaimStatuses", merge, "resourceClaimName");
        Add(typeof(V1NodeAllocatableResourceClaimStatus), "mapping", merge, "name");
        Add(typeof(V1NodeAllocatableResourceClaimStatus), "overhead", merge, "name");
        Add(typeof(V1PodVolumeHealth), "healthConditions", merge, "status");
        Add(typeof(V1VolumeHealthStatus), "healthConditions", merge, "status");

        // core/v1: other kinds
        Add(typeof(V1PersistentVolumeClaimStatus), "conditions", merge, "type");
        Add(typeof(V1ReplicationControllerStatus), "conditions", merge, "type");
        Add(typeof(V1ServiceSpec), "ports", merge, "port");
        Add(typeof(V1ServiceStatus), "conditions", merge, "type");
        Add(typeof(V1ServiceAccount), "secrets", merge, "name");
        Add(typeof(V1NodeSpec), "podCIDRs", merge);
        Add(typeof(V1NodeStatus), "conditions", merge, "type");
        Add(typeof(V1NodeStatus), "addresses", merge, "type");
        Add(typeof(V1NamespaceStatus), "conditions", merge, "type");
        Add(typeof(V1ComponentStatus), "conditions", merge, "type");

        // apps/v1
        Add(typeof(V1DeploymentSpec), "strategy", PatchStrategy.RetainKeys);
        Add(typeof(V1DeploymentStatus), "conditions", merge, "type");
        Add(typeof(V1ReplicaSetStatus), "conditions", merge, "type");
        Add(typeof(V1StatefulSetStatus), "conditions", merge, "type");
        Add(typeof(V1DaemonSetStatus), "conditions", merge, "type");

        // batch/v1
        Add(typeof(V1JobStatus), "conditions", merge, "type");
        Add(typeof(V1JobSchedulingConfiguration), "resourceClaims", merge, "name");

        return rules.ToFrozenDictionary();
    }
}
