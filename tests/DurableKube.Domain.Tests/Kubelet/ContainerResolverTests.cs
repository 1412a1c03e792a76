using DurableKube.Domain.Kubelet;
using k8s.Models;

namespace DurableKube.Domain.Tests.Kubelet;

public class ContainerResolverTests
{
    private static readonly SandboxAddresses Sandbox = new("10.0.0.7", "192.168.1.2");

    private static V1Pod Pod(V1Container container) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web", NamespaceProperty = "shop", Uid = "u-1",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["team"] = "blue" },
        },
        Spec = new V1PodSpec { Containers = [container], ServiceAccountName = "default" },
    };

    [Fact]
    public void Command_and_args_join_and_expand_from_the_environment()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["sh", "-c"],
            Args = ["echo $(GREETING) $(NAME) $$(NAME) $(MISSING)"],
            Env = [new V1EnvVar { Name = "NAME", Value = "world" }, new V1EnvVar { Name = "GREETING", Value = "hello-$(NAME)" }],
            WorkingDir = "/tmp",
        };

        Assert.True(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out var resolved, out _));

        Assert.Equal(["sh", "-c", "echo hello-world world $(NAME) $(MISSING)"], resolved!.Command);
        Assert.Equal([new("NAME", "world"), new("GREETING", "hello-world")], resolved.Environment);
        Assert.Equal("/tmp", resolved.WorkingDirectory);
    }

    [Fact]
    public void A_variable_refers_only_to_variables_defined_before_it()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Env = [new V1EnvVar { Name = "FIRST", Value = "$(SECOND)" }, new V1EnvVar { Name = "SECOND", Value = "2" }],
        };

        Assert.True(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out var resolved, out _));
        Assert.Equal("$(SECOND)", resolved!.Environment[0].Value);
    }

    [Theory]
    [InlineData("metadata.name", "web")]
    [InlineData("metadata.namespace", "shop")]
    [InlineData("metadata.uid", "u-1")]
    [InlineData("metadata.labels['app']", "web")]
    [InlineData("metadata.annotations['team']", "blue")]
    [InlineData("metadata.labels['none']", "")]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("spec.serviceAccountName", "default")]
    [InlineData("status.podIP", "10.0.0.7")]
    [InlineData("status.hostIP", "192.168.1.2")]
    [InlineData("status.podIPs", "10.0.0.7")]
    [InlineData("status.hostIPs", "192.168.1.2")]
    public void The_downward_API_fills_fieldRef_values(string path, string expected)
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } }],
        };

        Assert.True(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out var resolved, out _));
        Assert.Equal(expected, resolved!.Environment.Single().Value);
    }

    [Fact]
    public void ResourceFieldRef_reads_the_containers_own_resources_with_the_divisor()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("128Mi") } },
            Env = [new V1EnvVar { Name = "MEM", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") } } }],
        };

        Assert.True(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out var resolved, out _));
        Assert.Equal("128", resolved!.Environment.Single().Value);
    }

    /// <summary>resourceFieldRef: the container's own amounts, the node's allocatable for a limit it does not set, 0 for an unset request.</summary>
    [Theory]
    [InlineData("limits.cpu", null, "500m", null, "1")]
    [InlineData("limits.cpu", "1m", "500m", null, "500")]
    [InlineData("requests.cpu", "1m", null, "250m", "250")]
    [InlineData("requests.cpu", null, null, null, "0")]
    [InlineData("limits.cpu", null, null, null, "4")]
    [InlineData("limits.cpu", "1m", null, null, "4000")]
    [InlineData("limits.memory", "1Mi", null, null, "8192")]
    [InlineData("limits.memory", null, "1Gi", null, "1073741824")]
    [InlineData("requests.memory", "1Ki", null, "1000", "1")]
    [InlineData("limits.ephemeral-storage", "1Gi", null, null, "100")]
    public void ResourceFieldRef_falls_back_on_the_nodes_allocatable_for_an_unset_limit(string resource, string? divisor, string? limit, string? request, string expected)
    {
        var name = resource.Split('.')[1];
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Resources = new V1ResourceRequirements
            {
                Limits = limit is null ? null : new Dictionary<string, ResourceQuantity> { [name] = new(limit) },
                Requests = request is null ? null : new Dictionary<string, ResourceQuantity> { [name] = new(request) },
            },
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) } } }],
        };
        var allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("8Gi"), ["ephemeral-storage"] = new("100Gi") };

        Assert.True(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out var resolved, out var error, nodeAllocatable: allocatable), error?.Message);
        Assert.Equal(expected, resolved!.Environment.Single().Value);
    }

    [Fact]
    public void ResourceFieldRef_to_an_unset_limit_without_the_nodes_allocatable_is_a_configuration_error()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu" } } }],
        };

        Assert.False(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out _, out var error));
        Assert.Equal("CreateContainerConfigError", error!.Reason);
        Assert.Contains("sets no limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_without_a_command_cannot_run_and_says_why()
    {
        var container = new V1Container { Name = "app", Image = "nginx" };

        Assert.False(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out _, out var error));
        Assert.Equal("CreateContainerConfigError", error!.Reason);
        Assert.Contains("has no command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ConfigMap_or_Secret_is_a_configuration_error()
    {
        var container = new V1Container
        {
            Name = "app",
            Command = ["true"],
            Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "password" } } }],
        };

        Assert.False(ContainerResolver.TryResolve(Pod(container), container, "node-1", Sandbox, out _, out var error));
        Assert.Equal(("CreateContainerConfigError", "secret \"db\" not found"), (error!.Reason, error.Message));
    }
}
