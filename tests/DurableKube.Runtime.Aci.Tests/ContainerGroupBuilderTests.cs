using System.Text;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Aci.Tests;

public sealed class ContainerGroupBuilderTests
{
    private static readonly AciRuntimeOptions Node = new() { NodeName = "aci-1", Region = "westeurope" };

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(100, 0.1)]
    [InlineData(101, 0.2)]
    [InlineData(250, 0.3)]
    [InlineData(1000, 1.0)]
    [InlineData(3500, 3.5)]
    public void Cpu_is_rounded_up_to_a_tenth_of_a_core(long millicores, double cores)
    {
        Assert.Equal(cores, ContainerGroupBuilder.Cores(millicores));
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(128L * 1024 * 1024, 0.2)]
    [InlineData(512L * 1024 * 1024, 0.6)]
    [InlineData(1024L * 1024 * 1024, 1.1)]
    [InlineData(1_500_000_000L, 1.5)]
    public void Memory_is_rounded_up_to_a_tenth_of_a_gigabyte(long bytes, double gigabytes)
    {
        Assert.Equal(gigabytes, ContainerGroupBuilder.Gigabytes(bytes));
    }

    [Fact]
    public void Command_and_args_become_the_aci_command_and_none_leaves_the_entrypoint()
    {
        var group = ContainerGroupBuilder.Build(Spec(App("a", ["python", "app.py", "--port", "80"]), App("b", [])), Node);

        Assert.Equal(["python", "app.py", "--port", "80"], group.Properties.Containers[0].Properties.Command);
        Assert.Null(group.Properties.Containers[1].Properties.Command);
    }

    [Fact]
    public void The_group_is_linux_standard_never_restarted_by_aci_in_the_nodes_region_tagged_with_its_pod()
    {
        var group = ContainerGroupBuilder.Build(Spec(App("a", [])), Node);

        Assert.Equal(("Linux", "Standard", "Never", "westeurope"), (group.Properties.OsType, group.Properties.Sku, group.Properties.RestartPolicy, group.Location));
        Assert.Equal("uid-1", group.Tags![GroupNames.UidTag]);
        Assert.Equal("default", group.Tags[GroupNames.NamespaceTag]);
        Assert.Equal("web", group.Tags[GroupNames.PodTag]);
        Assert.Equal("aci-1", group.Tags[GroupNames.NodeTag]);
        Assert.Equal("0", group.Tags[GroupNames.GenerationTag]);
    }

    [Fact]
    public void Secret_values_go_as_secure_values()
    {
        var launch = App("a", []) with { Environment = [new("PLAIN", "1"), new("PASSWORD", "s3cret")] };
        launch = launch with { SecretEnvironment = new HashSet<string>(["PASSWORD"]) };

        var env = ContainerGroupBuilder.Build(Spec(launch), Node).Properties.Containers[0].Properties.EnvironmentVariables!;

        Assert.Equal(("PLAIN", "1", (string?)null), (env[0].Name, env[0].Value, env[0].SecureValue));
        Assert.Equal(("PASSWORD", (string?)null, "s3cret"), (env[1].Name, env[1].Value, env[1].SecureValue));
    }

    [Fact]
    public void Requests_are_rounded_limits_go_when_given_and_a_container_without_requests_gets_the_defaults()
    {
        var sized = App("a", []) with { Resources = new ContainerResources(250, 2000, 256L * 1024 * 1024, 1024L * 1024 * 1024) };
        var limitOnly = App("b", []) with { Resources = new ContainerResources(null, 500, null, null) };

        var containers = ContainerGroupBuilder.Build(Spec(sized, limitOnly, App("c", [])), Node).Properties.Containers;

        Assert.Equal((0.3, 0.3), (containers[0].Properties.Resources.Requests.Cpu, containers[0].Properties.Resources.Requests.MemoryInGB));
        Assert.Equal((2.0, 1.1), (containers[0].Properties.Resources.Limits!.Cpu, containers[0].Properties.Resources.Limits!.MemoryInGB));
        Assert.Equal(0.5, containers[1].Properties.Resources.Requests.Cpu);
        Assert.Equal(1.5, containers[1].Properties.Resources.Requests.MemoryInGB);
        Assert.Equal((1.0, 1.5), (containers[2].Properties.Resources.Requests.Cpu, containers[2].Properties.Resources.Requests.MemoryInGB));
        Assert.Null(containers[2].Properties.Resources.Limits);
    }

    [Fact]
    public void Ports_are_exposed_on_a_public_address_and_sctp_is_left_out()
    {
        var web = App("web", []) with { Ports = [new ContainerPortSpec(80), new ContainerPortSpec(53, "UDP"), new ContainerPortSpec(9, "SCTP")] };

        var group = ContainerGroupBuilder.Build(Spec(web, App("quiet", [])), Node);

        Assert.Equal([(80, "TCP"), (53, "UDP")], group.Properties.Containers[0].Properties.Ports!.Select(p => (p.Port, p.Protocol!)));
        Assert.Equal("Public", group.Properties.IpAddress!.Type);
        Assert.Equal([80, 53], group.Properties.IpAddress.Ports.Select(p => p.Port));
        Assert.Null(ContainerGroupBuilder.Build(Spec(App("quiet", [])), Node).Properties.IpAddress);
    }

    [Fact]
    public void Init_containers_come_first_in_order_sidecars_run_beside_the_app()
    {
        var spec = Spec(
            App("init-1", ["sh", "-c", "true"]) with { Kind = ContainerKind.Init },
            App("init-2", []) with { Kind = ContainerKind.Init },
            App("proxy", []) with { Kind = ContainerKind.Sidecar },
            App("app", []));

        var group = ContainerGroupBuilder.Build(spec, Node);

        Assert.Equal(["init-1", "init-2"], group.Properties.InitContainers!.Select(c => c.Name));
        Assert.Equal(["proxy", "app"], group.Properties.Containers.Select(c => c.Name));
        Assert.Equal(["sh", "-c", "true"], group.Properties.InitContainers![0].Properties.Command);
    }

    [Fact]
    public void Volumes_mounts_and_registry_credentials_are_mapped()
    {
        var app = App("app", []) with { VolumeMounts = [new VolumeMountSpec("cache", "/cache"), new VolumeMountSpec("certs", "/etc/certs", ReadOnly: true)] };
        var spec = Spec(app) with
        {
            Volumes = [new SandboxVolume("cache", SandboxVolumeKind.EmptyDir), new SandboxVolume("certs", SandboxVolumeKind.Files) { Files = [new VolumeFile("tls.crt", Encoding.UTF8.GetBytes("CERT"))], Sensitive = true }],
            PullCredentials = [new ImagePullCredential("myregistry.azurecr.io", "user", "pass")],
        };

        var group = ContainerGroupBuilder.Build(spec, Node);

        var volumes = group.Properties.Volumes!;
        Assert.NotNull(volumes[0].EmptyDir);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("CERT")), volumes[1].Secret!["tls.crt"]);
        var mounts = group.Properties.Containers[0].Properties.VolumeMounts!;
        Assert.Equal([("cache", "/cache", (bool?)null), ("certs", "/etc/certs", true)], mounts.Select(m => (m.Name, m.MountPath, m.ReadOnly)));
        var credential = Assert.Single(group.Properties.ImageRegistryCredentials!);
        Assert.Equal(("myregistry.azurecr.io", "user", "pass"), (credential.Server, credential.Username!, credential.Password!));
    }

    private static ContainerLaunch App(string name, string[] command) =>
        new(new ContainerRunId("uid-1", name, 0), "default", "web", "nginx:1.27", command, [], null);

    private static SandboxSpec Spec(params ContainerLaunch[] containers) =>
        new("uid-1", "default", "web", "aci-1") { RestartPolicy = "Always", Containers = containers };
}
