using System.Text.Json.Nodes;
using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Tests.Defaulting;

public class PodTemplateDefaultsTests
{
    [Theory]
    [InlineData("restartPolicy", "\"Always\"")]
    [InlineData("dnsPolicy", "\"ClusterFirst\"")]
    [InlineData("schedulerName", "\"default-scheduler\"")]
    [InlineData("terminationGracePeriodSeconds", "30")]
    [InlineData("securityContext", "{}")]
    [InlineData("containers[0].imagePullPolicy", "\"Always\"")]
    [InlineData("containers[0].terminationMessagePath", "\"/dev/termination-log\"")]
    [InlineData("containers[0].terminationMessagePolicy", "\"File\"")]
    [InlineData("containers[0].ports[0].protocol", "\"TCP\"")]
    [InlineData("containers[0].env[0].valueFrom.fieldRef.apiVersion", "\"v1\"")]
    [InlineData("containers[0].livenessProbe.periodSeconds", "10")]
    [InlineData("containers[0].livenessProbe.httpGet.scheme", "\"HTTP\"")]
    [InlineData("initContainers[0].imagePullPolicy", "\"IfNotPresent\"")]
    [InlineData("volumes[0].configMap.defaultMode", "420")]
    public void A_template_spec_gets_the_defaults_every_pod_spec_gets(string field, string expected)
    {
        var template = Template();

        PodDefaults.ApplyTemplate(template);

        Assert.Equal(expected, Field(KubeJson.ToNode(template.Spec), field)?.ToJsonString());
    }

    [Theory]
    [InlineData("enableServiceLinks")]
    [InlineData("tolerations")]
    [InlineData("serviceAccountName")]
    [InlineData("serviceAccount")]
    [InlineData("priority")]
    [InlineData("containers[0].resources.requests")]
    [InlineData("initContainers[0].resources.requests")]
    public void ApplyTemplate_adds_nothing_only_a_pod_gets(string field)
    {
        var template = Template();

        PodDefaults.ApplyTemplate(template);

        Assert.Null(Field(KubeJson.ToNode(template.Spec), field));
    }

    [Theory]
    [InlineData("enableServiceLinks", "true")]
    [InlineData("containers[0].resources.requests", "{\"cpu\":\"1\"}")]
    [InlineData("initContainers[0].resources.requests", "{\"memory\":\"64Mi\"}")]
    public void Apply_adds_to_a_pod_what_a_template_does_not_get(string field, string expected)
    {
        var pod = new V1Pod { Spec = Template().Spec };

        PodDefaults.Apply(pod);

        Assert.Equal(expected, Field(KubeJson.ToNode(pod.Spec), field)?.ToJsonString());
    }

    [Fact]
    public void A_pod_and_a_template_defaulted_from_the_same_spec_differ_only_in_what_a_pod_alone_gets()
    {
        var template = Template();
        var pod = new V1Pod { Spec = Template().Spec };

        PodDefaults.ApplyTemplate(template);
        PodDefaults.Apply(pod);

        var podSpec = KubeJson.ToNode(pod.Spec)!.AsObject();
        podSpec.Remove("enableServiceLinks");
        podSpec["containers"]![0]!["resources"]!.AsObject().Remove("requests");
        podSpec["initContainers"]![0]!["resources"]!.AsObject().Remove("requests");
        Assert.True(JsonNode.DeepEquals(KubeJson.ToNode(template.Spec), podSpec));
    }

    [Theory]
    [InlineData("Never")]
    [InlineData("OnFailure")]
    public void ApplyTemplate_keeps_a_restart_policy_that_is_set(string policy)
    {
        var template = Template();
        template.Spec.RestartPolicy = policy;

        PodDefaults.ApplyTemplate(template);

        Assert.Equal(policy, template.Spec.RestartPolicy);
    }

    [Fact]
    public void ApplyTemplate_gives_a_template_without_a_spec_a_defaulted_one_and_leaves_metadata_alone()
    {
        var template = new V1PodTemplateSpec();

        PodDefaults.ApplyTemplate(template);

        Assert.Null(template.Metadata);
        Assert.Equal("Always", template.Spec.RestartPolicy);
        Assert.Null(template.Spec.Containers);
    }

    private static V1PodTemplateSpec Template() => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec
        {
            InitContainers =
            [
                new V1Container
                {
                    Name = "init",
                    Image = "busybox:1.36",
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") } },
                },
            ],
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "nginx",
                    Ports = [new V1ContainerPort { ContainerPort = 80 }],
                    Env = [new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }],
                    Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                    LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80 } },
                },
            ],
            Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "web" } }],
        },
    };

    /// <summary>Reads a field by a path such as <c>containers[0].ports[0].protocol</c>; null when it is absent.</summary>
    private static JsonNode? Field(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = node?[bracket < 0 ? part : part[..bracket]];
            if (bracket >= 0)
            {
                var index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                node = node is JsonArray array && index < array.Count ? array[index] : null;
            }
        }

        return node;
    }
}
