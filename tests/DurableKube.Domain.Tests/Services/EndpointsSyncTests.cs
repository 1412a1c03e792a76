using DurableKube.Domain.Services;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class EndpointsSyncTests
{
    private static V1Service Service(string? targetPort = "8080", bool publishNotReady = false, bool headless = false, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "svc-uid", Labels = new Dictionary<string, string> { ["tier"] = "front" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            ClusterIP = headless ? "None" : "127.96.0.10",
            PublishNotReadyAddresses = publishNotReady,
            Ports = ports.Length > 0 ? ports : [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = targetPort is null ? null : (IntOrString)targetPort }],
        },
    };

    private static V1Pod Pod(string name, string? ip, bool ready = true, string phase = "Running", bool terminating = false, string app = "web", int? namedPort = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "shop",
            Uid = "uid-" + name,
            Labels = new Dictionary<string, string> { ["app"] = app },
            DeletionTimestamp = terminating ? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) : null,
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            Containers = [new V1Container { Name = "app", Ports = namedPort is { } p ? [new V1ContainerPort { Name = "web", ContainerPort = p }] : null }],
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };

    /// <summary>Where each pod lands: (ready addresses, not-ready addresses, slice endpoints as ip/ready/serving/terminating).</summary>
    public static TheoryData<string, V1Service, V1Pod[], string, string, string> Cases => new()
    {
        { "ready pods are addresses", Service(), [Pod("a", "127.1.0.2"), Pod("b", "127.1.0.1")], "127.1.0.1,127.1.0.2", "", "127.1.0.1/True/True/False,127.1.0.2/True/True/False" },
        { "not ready pods are notReadyAddresses", Service(), [Pod("a", "127.1.0.1", ready: false)], "", "127.1.0.1", "127.1.0.1/False/False/False" },
        { "publishNotReadyAddresses makes them ready", Service(publishNotReady: true), [Pod("a", "127.1.0.1", ready: false)], "127.1.0.1", "", "127.1.0.1/True/True/False" },
        { "terminating pods leave Endpoints, stay in slices terminating", Service(), [Pod("a", "127.1.0.1", terminating: true)], "", "", "127.1.0.1/False/True/True" },
        { "terminating with publishNotReadyAddresses stays ready", Service(publishNotReady: true), [Pod("a", "127.1.0.1", terminating: true)], "127.1.0.1", "", "127.1.0.1/True/True/True" },
        { "pods without an address are skipped", Service(), [Pod("a", null)], "", "", "" },
        { "finished pods are skipped", Service(), [Pod("a", "127.1.0.1", phase: "Succeeded"), Pod("b", "127.1.0.2", phase: "Failed")], "", "", "" },
        { "pods the selector does not pick are skipped", Service(), [Pod("a", "127.1.0.1", app: "db")], "", "", "" },
        { "a named targetPort resolves per pod, pods without it are skipped", Service("web"), [Pod("a", "127.1.0.1", namedPort: 9000), Pod("b", "127.1.0.2")], "127.1.0.1", "", "127.1.0.1/True/True/False" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Endpoints_follow_the_selected_pods(string why, V1Service service, V1Pod[] pods, string ready, string notReady, string sliced)
    {
        var plan = EndpointsSync.Plan(service, pods);

        var subsets = plan.Endpoints.Subsets ?? [];
        Assert.True(ready == string.Join(",", subsets.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip)), why);
        Assert.True(notReady == string.Join(",", subsets.SelectMany(s => s.NotReadyAddresses ?? []).Select(a => a.Ip)), why);
        var endpoints = plan.Slices.SelectMany(s => s.Endpoints ?? []).Select(e => $"{e.Addresses[0]}/{e.Conditions.Ready}/{e.Conditions.Serving}/{e.Conditions.Terminating}");
        Assert.True(sliced == string.Join(",", endpoints), $"{why}: {string.Join(",", endpoints)}");
    }

    [Fact]
    public void Ports_resolve_by_number_or_by_container_port_name()
    {
        var pod = Pod("a", "127.1.0.1", namedPort: 9000);

        Assert.Equal(8080, EndpointsSync.FindPort(pod, new V1ServicePort { Port = 80, TargetPort = 8080 }));
        Assert.Equal(9000, EndpointsSync.FindPort(pod, new V1ServicePort { Port = 80, TargetPort = "web" }));
        Assert.Null(EndpointsSync.FindPort(pod, new V1ServicePort { Port = 80, TargetPort = "web", Protocol = "UDP" }));
        Assert.Null(EndpointsSync.FindPort(pod, new V1ServicePort { Port = 80, TargetPort = "nope" }));
        Assert.Equal(80, EndpointsSync.FindPort(pod, new V1ServicePort { Port = 80 }));
    }

    [Fact]
    public void Endpoints_carry_ports_targetRefs_and_the_services_labels()
    {
        var plan = EndpointsSync.Plan(Service(), [Pod("a", "127.1.0.1")]);

        var subset = Assert.Single(plan.Endpoints.Subsets);
        var port = Assert.Single(subset.Ports);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));
        var address = Assert.Single(subset.Addresses);
        Assert.Equal(("node-1", "Pod", "shop", "a", "uid-a"), (address.NodeName, address.TargetRef.Kind, address.TargetRef.NamespaceProperty, address.TargetRef.Name, address.TargetRef.Uid));
        Assert.Equal(("web", "shop"), (plan.Endpoints.Metadata.Name, plan.Endpoints.Metadata.NamespaceProperty));
        Assert.Equal("front", plan.Endpoints.Metadata.Labels["tier"]);
        Assert.Equal("endpoint-controller", plan.Endpoints.Metadata.Labels[EndpointsSync.EndpointsManagedByLabel]);
        Assert.False(EndpointSliceMirroring.ShouldMirror(plan.Endpoints));

        var slice = Assert.Single(plan.Slices);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.StartsWith("web-", slice.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("web", slice.Metadata.Labels[EndpointsSync.ServiceNameLabel]);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Metadata.Labels[EndpointsSync.ManagedByLabel]);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Service", "web", "svc-uid", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.Equal(("node-1", "a"), (endpoint.NodeName, endpoint.TargetRef.Name));
        Assert.Equal(("http", 8080, "TCP"), (slice.Ports[0].Name, slice.Ports[0].Port, slice.Ports[0].Protocol));
    }

    [Fact]
    public void A_service_selecting_nothing_keeps_one_empty_slice_and_empty_Endpoints()
    {
        var plan = EndpointsSync.Plan(Service(), []);

        Assert.Empty(plan.Endpoints.Subsets);
        var slice = Assert.Single(plan.Slices);
        Assert.Empty(slice.Endpoints);
        Assert.Empty(slice.Ports);
    }

    [Fact]
    public void Slices_hold_at_most_100_endpoints_and_are_named_alike_on_every_sync()
    {
        var pods = Enumerable.Range(1, 250).Select(i => Pod($"p{i}", $"127.1.{i / 200}.{i % 200 + 1}")).ToArray();

        var first = EndpointsSync.Plan(Service(), pods);
        var again = EndpointsSync.Plan(Service(), pods.Reverse());

        Assert.Equal([100, 100, 50], first.Slices.Select(s => s.Endpoints.Count));
        Assert.Equal(3, first.Slices.Select(s => s.Metadata.Name).Distinct().Count());
        Assert.Equal(first.Slices.Select(s => s.Metadata.Name), again.Slices.Select(s => s.Metadata.Name));
    }

    [Fact]
    public void Pods_whose_ports_differ_get_subsets_and_slices_of_their_own()
    {
        var plan = EndpointsSync.Plan(Service("web"), [Pod("a", "127.1.0.1", namedPort: 9000), Pod("b", "127.1.0.2", namedPort: 9001)]);

        Assert.Equal([9000, 9001], plan.Endpoints.Subsets.Select(s => s.Ports[0].Port).Order());
        Assert.Equal(2, plan.Slices.Count);
    }

    [Fact]
    public void A_headless_service_without_ports_lists_addresses_alone_and_is_labelled_headless()
    {
        var service = Service(headless: true);
        service.Spec.Ports = [];

        var plan = EndpointsSync.Plan(service, [Pod("a", "127.1.0.1")]);

        var subset = Assert.Single(plan.Endpoints.Subsets);
        Assert.Null(subset.Ports);
        Assert.Equal("127.1.0.1", Assert.Single(subset.Addresses).Ip);
        Assert.True(plan.Endpoints.Metadata.Labels.ContainsKey(EndpointsSync.HeadlessLabel));
        Assert.True(plan.Slices[0].Metadata.Labels.ContainsKey(EndpointsSync.HeadlessLabel));
    }

    [Theory]
    [InlineData(true, "ClusterIP", true)]
    [InlineData(false, "ClusterIP", false)]
    [InlineData(true, "ExternalName", false)]
    public void Only_services_with_a_selector_are_managed(bool selector, string type, bool managed)
    {
        var service = Service();
        service.Spec.Type = type;
        if (!selector)
        {
            service.Spec.Selector = null;
        }

        Assert.Equal(managed, EndpointsSync.Manages(service));
    }
}
