using DurableKube.Domain.Kinds;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using k8s.Models;

namespace DurableKube.Domain.Tests.Selectors;

public class FieldSelectorTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "prod" },
        Spec = new V1PodSpec { NodeName = "node-1", RestartPolicy = "Always", SchedulerName = "default-scheduler", ServiceAccountName = "default" },
        Status = new V1PodStatus { Phase = "Running", PodIPs = [new V1PodIP { Ip = "10.0.0.5" }], NominatedNodeName = null },
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name==web", true)]
    [InlineData("metadata.name!=web", false)]
    [InlineData("metadata.namespace=prod", true)]
    [InlineData("spec.nodeName=node-1", true)]
    [InlineData("spec.nodeName=", false)]
    [InlineData("status.phase=Running,spec.restartPolicy=Always", true)]
    [InlineData("status.phase!=Running", false)]
    [InlineData("status.podIP=10.0.0.5", true)]
    [InlineData("status.nominatedNodeName=", true)]
    [InlineData("spec.schedulerName=default-scheduler", true)]
    [InlineData("spec.serviceAccountName=default", true)]
    public void Pods_are_selected_by_their_fields(string selector, bool matches)
    {
        var filter = SelectableFields.Compile(CoreKinds.Pods, FieldSelector.Parse(selector));

        Assert.Equal(matches, filter(Pod));
    }

    [Fact]
    public void Unsupported_fields_are_refused_as_the_api_server_words_it()
    {
        var error = Assert.Throws<SelectorParseException>(() => SelectableFields.Compile(CoreKinds.Pods, FieldSelector.Parse("spec.foo=x")));

        Assert.Equal("field label not supported: spec.foo", error.Message);
    }

    [Fact]
    public void Cluster_scoped_types_have_no_namespace_field()
    {
        Assert.False(SelectableFields.IsSupported(CoreKinds.Nodes, "metadata.namespace"));
        Assert.True(SelectableFields.IsSupported(CoreKinds.Namespaces, "status.phase"));
    }

    [Theory]
    [InlineData("a", "invalid selector: 'a'; can't understand 'a'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: =")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    public void Malformed_selectors_are_refused(string selector, string message)
    {
        Assert.Equal(message, Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(selector)).Message);
    }

    [Fact]
    public void Escaped_values_round_trip()
    {
        var selector = FieldSelector.Parse("metadata.name=a\\,b\\=c");

        Assert.Equal("a,b=c", selector.Requirements[0].Value);
        Assert.Equal("metadata.name=a\\,b\\=c", selector.ToString());
    }
}
