using DurableKube.Domain.Resources;
using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Dispatch;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace DurableKube.Workflows.Tests.Dispatch;

public class ChangeDispatcherTests
{
    [Fact]
    public async Task A_handler_whose_resync_fails_does_not_keep_the_others_from_resyncing_and_the_failure_is_not_swallowed()
    {
        var pods = new FakeHandler("pods", ResourceTypes.Pods) { ResyncFailure = new IOException("storage unavailable") };
        var namespaces = new FakeHandler("namespaces", ResourceTypes.Namespaces);
        var dispatcher = new ChangeDispatcher(new ChangeRouter(TestKinds.Registry(), [pods, namespaces]), Mock.Of<IWorkflowClient>(), NullLogger<ChangeDispatcher>.Instance);

        var failure = await Assert.ThrowsAsync<AggregateException>(() => dispatcher.ResyncAsync());

        Assert.IsType<IOException>(Assert.Single(failure.InnerExceptions));
        Assert.Equal((1, 1), (pods.Resyncs, namespaces.Resyncs));
    }
}
