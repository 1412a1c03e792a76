using System.Reflection;
using System.Text.Json.Serialization;
using DurableKube.Domain.Patching;
using k8s.Models;

namespace DurableKube.Domain.Tests.Patching;

public class PatchStrategyTableTests
{
    private static readonly Type[] _roots =
    [
        typeof(V1Pod), typeof(V1PodTemplateSpec), typeof(V1ReplicaSet), typeof(V1Deployment), typeof(V1StatefulSet),
        typeof(V1Job), typeof(V1Service), typeof(V1Namespace), typeof(V1Node), typeof(V1ObjectMeta),
    ];

    /// <summary>Every tagged list reachable from the roots, as k8s.io/api types.go tags it ("merge" or "merge:key").</summary>
    private static readonly Dictionary<string, string> _taggedLists = new(StringComparer.Ordinal)
    {
        ["V1ObjectMeta.finalizers"] = "merge",
        ["V1ObjectMeta.ownerReferences"] = "merge:uid",
        ["V1Container.env"] = "merge:name",
        ["V1Container.ports"] = "merge:containerPort",
        ["V1Container.volumeMounts"] = "merge:mountPath",
        ["V1Container.volumeDevices"] = "merge:devicePath",
        ["V1EphemeralContainer.env"] = "merge:name",
        ["V1EphemeralContainer.ports"] = "merge:containerPort",
        ["V1EphemeralContainer.volumeMounts"] = "merge:mountPath",
        ["V1EphemeralContainer.volumeDevices"] = "merge:devicePath",
        ["V1ContainerStatus.volumeMounts"] = "merge:mountPath",
        ["V1ContainerStatus.allocatedResourcesStatus"] = "merge:name",
        ["V1PodSpec.containers"] = "merge:name",
        ["V1PodSpec.initContainers"] = "merge:name",
        ["V1PodSpec.ephemeralContainers"] = "merge:name",
        ["V1PodSpec.volumes"] = "merge,retainKeys:name",
        ["V1PodSpec.imagePullSecrets"] = "merge:name",
        ["V1PodSpec.hostAliases"] = "merge:ip",
        ["V1PodSpec.topologySpreadConstraints"] = "merge:topologyKey",
        ["V1PodSpec.schedulingGates"] = "merge:name",
        ["V1PodSpec.resourceClaims"] = "merge,retainKeys:name",
        ["V1PodSpec.evictionResponders"] = "merge:name",
        ["V1PodStatus.conditions"] = "merge:type",
        ["V1PodStatus.hostIPs"] = "merge:ip",
        ["V1PodStatus.podIPs"] = "merge:ip",
        ["V1PodStatus.resourceClaimStatuses"] = "merge,retainKeys:name",
        ["V1PodStatus.nodeAllocatableResourceClaimStatuses"] = "merge:resourceClaimName",
        ["V1NodeAllocatableResourceClaimStatus.mapping"] = "merge:name",
        ["V1NodeAllocatableResourceClaimStatus.overhead"] = "merge:name",
        ["V1PodVolumeHealth.healthConditions"] = "merge:status",
        ["V1VolumeHealthStatus.healthConditions"] = "merge:status",
        ["V1PersistentVolumeClaimStatus.conditions"] = "merge:type",
        ["V1ServiceSpec.ports"] = "merge:port",
        ["V1ServiceStatus.conditions"] = "merge:type",
        ["V1NodeSpec.podCIDRs"] = "merge",
        ["V1NodeStatus.conditions"] = "merge:type",
        ["V1NodeStatus.addresses"] = "merge:type",
        ["V1NamespaceStatus.conditions"] = "merge:type",
        ["V1DeploymentStatus.conditions"] = "merge:type",
        ["V1ReplicaSetStatus.conditions"] = "merge:type",
        ["V1StatefulSetStatus.conditions"] = "merge:type",
        ["V1JobStatus.conditions"] = "merge:type",
        ["V1JobSchedulingConfiguration.resourceClaims"] = "merge:name",
    };

    [Theory]
    [InlineData(typeof(V1PodSpec), "containers", PatchStrategy.Merge, "name")]
    [InlineData(typeof(V1PodSpec), "volumes", PatchStrategy.Merge | PatchStrategy.RetainKeys, "name")]
    [InlineData(typeof(V1PodSpec), "imagePullSecrets", PatchStrategy.Merge, "name")]
    [InlineData(typeof(V1PodSpec), "hostAliases", PatchStrategy.Merge, "ip")]
    [InlineData(typeof(V1PodSpec), "tolerations", PatchStrategy.None, null)]
    [InlineData(typeof(V1PodSpec), "readinessGates", PatchStrategy.None, null)]
    [InlineData(typeof(V1Container), "ports", PatchStrategy.Merge, "containerPort")]
    [InlineData(typeof(V1Container), "env", PatchStrategy.Merge, "name")]
    [InlineData(typeof(V1Container), "envFrom", PatchStrategy.None, null)]
    [InlineData(typeof(V1Container), "volumeMounts", PatchStrategy.Merge, "mountPath")]
    [InlineData(typeof(V1Container), "args", PatchStrategy.None, null)]
    [InlineData(typeof(V1PodStatus), "conditions", PatchStrategy.Merge, "type")]
    [InlineData(typeof(V1PodStatus), "containerStatuses", PatchStrategy.None, null)]
    [InlineData(typeof(V1ObjectMeta), "ownerReferences", PatchStrategy.Merge, "uid")]
    [InlineData(typeof(V1ObjectMeta), "finalizers", PatchStrategy.Merge, null)]
    [InlineData(typeof(V1ObjectMeta), "managedFields", PatchStrategy.None, null)]
    [InlineData(typeof(V1DeploymentSpec), "strategy", PatchStrategy.RetainKeys, null)]
    [InlineData(typeof(V1NodeSpec), "taints", PatchStrategy.None, null)]
    [InlineData(typeof(V1ServiceSpec), "ports", PatchStrategy.Merge, "port")]
    [InlineData(typeof(V1StatefulSetSpec), "volumeClaimTemplates", PatchStrategy.None, null)]
    public void Lookup_GivesTheKubernetesTag(Type model, string field, PatchStrategy strategy, string? mergeKey)
    {
        var rule = PatchStrategyTable.Lookup(model, field);

        Assert.Equal(new PatchFieldRule(strategy, mergeKey), rule);
    }

    [Fact]
    public void Rules_CoverEveryTaggedListReachableFromTheServedKinds()
    {
        var actual = ReachableLists()
            .Select(list => (Name: $"{list.Owner.Name}.{list.Field}", Rule: PatchStrategyTable.Lookup(list.Owner, list.Field)))
            .Where(list => list.Rule != PatchFieldRule.None)
            .ToDictionary(list => list.Name, list => Describe(list.Rule), StringComparer.Ordinal);

        Assert.Equal(_taggedLists.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Rules_NameRealFieldsAndMergeKeys()
    {
        foreach (var ((model, field), rule) in PatchStrategyTable.Rules)
        {
            var property = Properties(model).SingleOrDefault(p => p.Json == field).Property;
            Assert.True(property is not null, $"{model.Name} has no field {field}");
            var element = ListElement(property.PropertyType);
            if (rule.Merges)
            {
                Assert.True(element is not null, $"{model.Name}.{field} is tagged merge but is not a list");
            }

            if (rule.MergeKey is { } key)
            {
                Assert.True(
                    Properties(element!).Any(p => p.Json == key),
                    $"{model.Name}.{field}: {element!.Name} has no merge key field {key}");
            }
            else if (rule.Merges)
            {
                Assert.True(element == typeof(string), $"{model.Name}.{field} merges without a key, so it must be a list of primitives");
            }
        }
    }

    private static string Describe(PatchFieldRule rule)
    {
        var strategy = rule.Strategy switch
        {
            PatchStrategy.Merge => "merge",
            PatchStrategy.Merge | PatchStrategy.RetainKeys => "merge,retainKeys",
            _ => rule.Strategy.ToString(),
        };
        return rule.MergeKey is null ? strategy : $"{strategy}:{rule.MergeKey}";
    }

    private static List<(Type Owner, string Field)> ReachableLists()
    {
        var lists = new List<(Type, string)>();
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(_roots);
        while (queue.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var (json, property) in Properties(type))
            {
                var element = ListElement(property.PropertyType);
                if (element is not null)
                {
                    lists.Add((type, json));
                }

                var inner = element ?? DictionaryValue(property.PropertyType) ?? property.PropertyType;
                if (inner.Namespace == "k8s.Models" && inner.IsClass)
                {
                    queue.Enqueue(inner);
                }
            }
        }

        return lists;
    }

    private static IEnumerable<(string Json, PropertyInfo Property)> Properties(Type type) =>
        type.GetProperties().Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, p));

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) ? type.GetGenericArguments()[0] : null;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? type.GetGenericArguments()[1] : null;
}
