using DurableKube.Domain.Validation;
using k8s.Models;

namespace DurableKube.Domain.Tests.Validation;

public sealed class DownwardApiValidationTests
{
    private const string At = "spec.containers[0].env[0].valueFrom";

    public static TheoryData<V1EnvVarSource, string?> Cases => new()
    {
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } }, null },
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app.kubernetes.io/name']" } }, null },
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.serviceAccountName", ApiVersion = "v1" } }, null },
        { new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") } }, null },
        { new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "requests.cpu", Divisor = new ResourceQuantity("1m") } }, null },
        {
            new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.hostname" } },
            $"{At}.fieldRef.fieldPath: Unsupported value: \"spec.hostname\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""
        },
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } }, $"{At}.fieldRef.fieldPath: Unsupported value: \"metadata.labels\"" },
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "" } }, $"{At}.fieldRef.fieldPath: Required value" },
        { new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name", ApiVersion = "v2" } }, $"{At}.fieldRef.apiVersion: Unsupported value: \"v2\": supported values: \"v1\"" },
        {
            new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.gpu" } },
            $"{At}.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\""
        },
        {
            new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu", Divisor = new ResourceQuantity("2") } },
            $"{At}.resourceFieldRef.divisor: Invalid value: \"2\": only divisor's values 1m and 1 are supported with the cpu resource"
        },
        {
            new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("3Mi") } },
            $"{At}.resourceFieldRef.divisor: Invalid value: \"3Mi\": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource"
        },
        {
            new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" }, ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu" } },
            $"{At}: Invalid value: \"\": may not have more than one field specified at a time"
        },
        { new V1EnvVarSource(), $"{At}: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValueFrom_is_checked_as_the_apiserver_checks_it(V1EnvVarSource source, string? expected)
    {
        var errors = new List<FieldError>();

        DownwardApiValidation.ValidateEnvSource(source, At, hasValue: false, errors);

        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.StartsWith(expected, Assert.Single(errors).ToString(), StringComparison.Ordinal);
        }
    }
}
