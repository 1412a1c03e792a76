using DurableKube.Ports.Workflows;
using DurableKube.Workflows.Hosting;
using DurableTask.Core.History;
using Grpc.Core;
using Microsoft.DurableTask.Client;
using Moq;

namespace DurableKube.Workflows.Tests.Hosting;

/// <summary>What the workflow port over the Durable Task SDK's client (the Functions host's) tells of an instance.</summary>
public sealed class DurableTaskClientWorkflowClientTests
{
    private const string InstanceId = "pod-u1";

    private static readonly DateTime Start = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    private readonly Mock<DurableTaskClient> _client = new(MockBehavior.Strict, "durablekube");

    public static TheoryData<string> Unable => new() { "not supported", "unimplemented" };

    public DurableTaskClientWorkflowClientTests()
    {
        _client.Setup(c => c.GetInstanceAsync(InstanceId, true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata("PodLifecycle", InstanceId)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Running,
                CreatedAt = new DateTimeOffset(Start),
                LastUpdatedAt = new DateTimeOffset(Start.AddMinutes(1)),
                SerializedCustomStatus = "{\"turn\":2}",
            });
    }

    [Fact]
    public async Task The_details_carry_the_most_recent_events_of_the_clients_history()
    {
        _client.Setup(c => c.GetOrchestrationHistoryAsync(InstanceId, It.IsAny<CancellationToken>())).ReturnsAsync(new List<HistoryEvent>
        {
            new ExecutionStartedEvent(-1, "{}") { Name = "PodLifecycle", Timestamp = Start },
            new OrchestratorStartedEvent(-1) { Timestamp = Start },
            new TaskScheduledEvent(0) { Name = "SyncPod", Timestamp = Start.AddSeconds(1) },
            new OrchestratorCompletedEvent(-1) { Timestamp = Start.AddSeconds(1) },
            new TaskCompletedEvent(-1, 0, "{}") { Timestamp = Start.AddSeconds(2) },
            new TimerCreatedEvent(1, Start.AddSeconds(30)) { Timestamp = Start.AddSeconds(3) },
        });

        var details = await new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync(InstanceId, 2);

        Assert.NotNull(details);
        Assert.Equal("PodLifecycle", details.Name);
        Assert.Equal(WorkflowInstanceState.Running, details.State);
        Assert.Equal("{\"turn\":2}", details.CustomStatus);
        Assert.Equal(
            new[]
            {
                new WorkflowHistoryEvent(new DateTimeOffset(Start.AddSeconds(2)), "TaskCompleted"),
                new WorkflowHistoryEvent(new DateTimeOffset(Start.AddSeconds(3)), "TimerCreated", null, "fires at 2026-12-03T12:00:30Z"),
            },
            details.History);
    }

    [Fact]
    public async Task No_history_is_read_when_none_is_asked_for()
    {
        // Strict: a history read would fail the test.
        var details = await new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync(InstanceId, 0);

        Assert.NotNull(details);
        Assert.Null(details.History);
    }

    [Fact]
    public async Task An_instance_that_does_not_exist_has_no_details_and_no_history_read()
    {
        _client.Setup(c => c.GetInstanceAsync("pod-none", true, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        Assert.Null(await new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync("pod-none", 30));
    }

    [Theory]
    [MemberData(nameof(Unable))]
    public async Task A_client_or_backend_that_cannot_stream_a_history_gives_none(string why)
    {
        Exception refusal = why == "not supported"
            ? new NotSupportedException("DurableTaskClient does not support retrieving orchestration history.")
            : new RpcException(new Status(StatusCode.Unimplemented, "StreamInstanceHistory"));
        _client.Setup(c => c.GetOrchestrationHistoryAsync(InstanceId, It.IsAny<CancellationToken>())).ThrowsAsync(refusal);

        var details = await new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync(InstanceId, 30);

        Assert.NotNull(details);
        Assert.Null(details.History);
    }

    [Fact]
    public async Task Any_other_failure_of_the_history_read_is_not_hidden()
    {
        _client.Setup(c => c.GetOrchestrationHistoryAsync(InstanceId, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("An error occurred while retrieving the history."));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync(InstanceId, 30));
    }

    [Fact]
    public async Task A_negative_history_limit_is_an_error()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DurableTaskClientWorkflowClient(_client.Object).GetDetailsAsync(InstanceId, -1));
    }
}
