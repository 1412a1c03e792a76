using DurableKube.Domain.Serialization;
using DurableKube.Domain.Services;
using DurableKube.Domain.Strategies;
using k8s.Models;

namespace DurableKube.Domain.Tests.Services;

public sealed class ServiceValidationTests
{
    private static V1Service Parse(string spec) =>
        (V1Service)KubeJson.Deserialize($$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},"spec":{{spec}}}""", typeof(V1Service))!;

    private static IReadOnlyList<string> Errors(string spec)
    {
        var service = Parse(spec);
        var strategy = new ServiceStrategy();
        strategy.Default(service);
        return [.. strategy.Validate(service).Select(e => e.ToString())];
    }

    [Theory]
    [InlineData("""{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}""")]
    [InlineData("""{"ports":[{"name":"http","port":80,"targetPort":"http"},{"name":"metrics","port":9090,"protocol":"UDP"}]}""")]
    [InlineData("""{"clusterIP":"None","selector":{"app":"web"}}""")]
    [InlineData("""{"type":"ExternalName","externalName":"example.com"}""")]
    [InlineData("""{"type":"NodePort","ports":[{"port":80,"nodePort":30080}]}""")]
    [InlineData("""{"type":"LoadBalancer","ports":[{"port":80,"protocol":"SCTP"}]}""")]
    [InlineData("""{"clusterIP":"127.96.0.10","ports":[{"port":80}]}""")]
    public void Valid_services_pass(string spec) => Assert.Empty(Errors(spec));

    [Theory]
    [InlineData("""{"selector":{"app":"web"}}""", "spec.ports: Required value")]
    [InlineData("""{"ports":[{"port":80},{"port":81}]}""", "spec.ports[0].name: Required value")]
    [InlineData("""{"ports":[{"name":"a","port":80},{"name":"a","port":81}]}""", "spec.ports[1].name: Duplicate value: \"a\"")]
    [InlineData("""{"ports":[{"name":"Http","port":80}]}""", "spec.ports[0].name: Invalid value: \"Http\"")]
    [InlineData("""{"ports":[{"port":70000}]}""", "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"ports":[{"port":80,"protocol":"HTTP"}]}""", "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("""{"ports":[{"port":80,"targetPort":"no_way"}]}""", "spec.ports[0].targetPort: Invalid value: \"no_way\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("""{"ports":[{"port":80,"targetPort":0}]}""", "")]
    [InlineData("""{"ports":[{"port":80,"targetPort":99999}]}""", "spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive")]
    [InlineData("""{"type":"Magic","ports":[{"port":80}]}""", "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")]
    [InlineData("""{"type":"ExternalName"}""", "spec.externalName: Required value")]
    [InlineData("""{"type":"ExternalName","externalName":"example.com","clusterIP":"127.96.0.5"}""", "spec.clusterIP: Forbidden: may not be set for ExternalName services")]
    [InlineData("""{"ports":[{"port":80,"nodePort":30080}]}""", "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")]
    [InlineData("""{"clusterIP":"300.1.1.1","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"300.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    [InlineData("""{"type":"NodePort","clusterIP":"None","ports":[{"port":80}]}""", "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")]
    [InlineData("""{"ports":[{"name":"a","port":80},{"name":"b","port":80}]}""", "spec.ports[1]: Duplicate value: \"80/TCP\"")]
    [InlineData("""{"sessionAffinity":"Sticky","ports":[{"port":80}]}""", "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"")]
    public void Invalid_services_are_refused_with_Kubernetes_messages(string spec, string expected)
    {
        var errors = Errors(spec);

        if (expected.Length == 0)
        {
            // targetPort 0 is defaulted to the port, as the apiserver does.
            Assert.Empty(errors);
            return;
        }

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Names_are_DNS_1035_labels()
    {
        var service = Parse("""{"ports":[{"port":80}]}""");
        service.Metadata.Name = "1web";
        var strategy = new ServiceStrategy();
        strategy.Default(service);

        var errors = strategy.Validate(service).Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_the_apiservers()
    {
        var service = Parse("""{"ports":[{"port":80}]}""");

        ServiceDefaults.Apply(service);

        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal("None", service.Spec.SessionAffinity);
        Assert.Equal("Cluster", service.Spec.InternalTrafficPolicy);
        Assert.Equal("TCP", service.Spec.Ports[0].Protocol);
        Assert.Equal("80", service.Spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public void An_update_may_leave_the_ClusterIP_out_but_not_change_it()
    {
        var strategy = new ServiceStrategy();
        var old = Parse("""{"clusterIP":"127.96.0.7","clusterIPs":["127.96.0.7"],"ports":[{"port":80}]}""");
        strategy.Default(old);
        var omitted = Parse("""{"ports":[{"port":81}]}""");
        strategy.Default(omitted);
        strategy.PrepareForUpdate(omitted, old);
        var changed = Parse("""{"clusterIP":"127.96.0.8","ports":[{"port":80}]}""");
        strategy.Default(changed);
        strategy.PrepareForUpdate(changed, old);

        Assert.Equal("127.96.0.7", omitted.Spec.ClusterIP);
        Assert.Empty(strategy.ValidateUpdate(omitted, old));
        Assert.Contains(strategy.ValidateUpdate(changed, old).Select(e => e.ToString()), e => e == "spec.clusterIPs[0]: Invalid value: \"127.96.0.8\": may not change once set");
    }

    [Fact]
    public void Turning_into_ExternalName_gives_the_ClusterIP_back()
    {
        var strategy = new ServiceStrategy();
        var old = Parse("""{"clusterIP":"127.96.0.7","ports":[{"port":80}]}""");
        strategy.Default(old);
        var external = Parse("""{"type":"ExternalName","externalName":"example.com","clusterIP":"127.96.0.7"}""");
        strategy.Default(external);

        strategy.PrepareForUpdate(external, old);

        Assert.Null(external.Spec.ClusterIP);
        Assert.Empty(strategy.ValidateUpdate(external, old));
    }
}
