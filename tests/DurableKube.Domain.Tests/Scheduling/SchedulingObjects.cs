using k8s.Models;

namespace DurableKube.Domain.Tests.Scheduling;

/// <summary>Nodes and pods for the scheduler's tables.</summary>
internal static class SchedulingObjects
{
    public static V1Node Node(
        string name,
        string cpu = "2",
        string memory = "4Gi",
        string pods = "110",
        string? ready = "True",
        bool unschedulable = false,
        Dictionary<string, string>? labels = null,
        params V1Taint[] taints) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NodeSpec { Unschedulable = unschedulable, Taints = taints.Length == 0 ? null : taints },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new(pods), ["ephemeral-storage"] = new("10Gi"),
            },
            Conditions = ready is null ? [] : [new V1NodeCondition { Type = "Ready", Status = ready }],
        },
    };

    public static V1Pod Pod(string uid = "uid-1", string? cpu = null, string? memory = null, string? node = null, string? phase = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pod-" + uid, NamespaceProperty = "default", Uid = uid },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [Container("app", cpu, memory)],
        },
        Status = phase is null ? null : new V1PodStatus { Phase = phase },
    };

    public static V1Container Container(string name, string? cpu = null, string? memory = null, string? restartPolicy = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new ResourceQuantity(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new ResourceQuantity(memory);
        }

        return new V1Container
        {
            Name = name,
            Image = "busybox",
            RestartPolicy = restartPolicy,
            Resources = requests.Count == 0 ? null : new V1ResourceRequirements { Requests = requests },
        };
    }

    public static V1Taint Taint(string key, string? value, string effect) => new() { Key = key, Value = value, Effect = effect };
}
