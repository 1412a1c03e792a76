using DurableKube.Ports.Runtime;

namespace DurableKube.Ports.Tests.Runtime;

public class ContainerRunIdTests
{
    [Fact]
    public void An_id_formats_as_the_container_id_a_pod_status_carries_and_parses_back()
    {
        var id = new ContainerRunId("0b9a-uid", "app", 3);

        Assert.Equal("process://0b9a-uid/app/3", id.ToContainerId("process"));
        Assert.True(ContainerRunId.TryParse(id.ToContainerId("process"), out var parsed));
        Assert.Equal(id, parsed);
        Assert.True(ContainerRunId.TryParse(id.ToString(), out parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("process://uid/app")]
    [InlineData("process://uid/app/x")]
    [InlineData("process://uid/app/-1")]
    [InlineData("process:///app/1")]
    [InlineData("containerd://0123456789abcdef")]
    [InlineData("uid/app/1/extra")]
    public void Text_that_is_not_a_run_id_does_not_parse(string? text)
    {
        Assert.False(ContainerRunId.TryParse(text, out _));
    }
}
