using DurableKube.Domain.Kubelet;
using DurableKube.Domain.Resources;
using DurableKube.Functions.Dispatch;
using DurableKube.Functions.Tests.Support;
using DurableKube.Functions.Workflows;
using DurableKube.Workflows.Dispatch;
using DurableKube.Ports.Queue;
using DurableKube.Store.AzureStorage;
using DurableKube.Workflows.Pods;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableKube.Functions.Tests;

/// <summary>The queue trigger and the resync it schedules, with a mocked Durable Task client.</summary>
public sealed class ChangeFunctionsTests : IDisposable
{
    private readonly FunctionHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static ObjectChange Change(string name, string uid, ObjectChangeType type) =>
        new(ResourceTypes.Pods.GroupResource, "default", name, uid, type, "1");

    /// <summary>A change as the queue trigger gets it: the base64-decoded JSON of a queue message.</summary>
    private static Azure.Storage.Queues.Models.QueueMessage Message(ObjectChange change, long dequeueCount = 1) =>
        Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage("message-1", "receipt-1", BinaryData.FromObjectAsJson(change), dequeueCount);

    /// <summary>The resync is already due: dispatching looks it up and starts none.</summary>
    private void ExpectResyncDue() =>
        _harness.Client
            .Setup(c => c.GetInstanceAsync(ResyncOrchestrator.InstanceId, false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(ResyncOrchestrator.Name, ResyncOrchestrator.InstanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Running });

    private List<(TaskName Name, object? Input, StartOrchestrationOptions? Options)> ExpectStarts()
    {
        var starts = new List<(TaskName, object?, StartOrchestrationOptions?)>();
        _harness.Client
            .Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null);
        _harness.Client
            .Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<TaskName, object?, StartOrchestrationOptions?, CancellationToken>((name, input, options, _) => starts.Add((name, input, options)))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);
        return starts;
    }

    [Fact]
    public async Task A_pod_change_starts_the_pods_lifecycle_with_its_uid_as_instance_id()
    {
        var pod = await _harness.StorePodAsync("web");
        var starts = ExpectStarts();

        ExpectResyncDue();

        await ChangeFunctions.DispatchAsync(Message(Change("web", pod.Metadata.Uid, ObjectChangeType.Added)), _harness.Client.Object, _harness.Context);

        var (name, input, options) = Assert.Single(starts);
        Assert.Equal(PodLifecycleOrchestrator.Name, name.Name);
        Assert.Equal("pod-" + pod.Metadata.Uid, options!.InstanceId);
        var state = Assert.IsType<ReconcileInput<PodLifecycleState>>(input).State;
        Assert.Equal(new PodIdentity("default", "web", pod.Metadata.Uid), state.Pod);
    }

    [Fact]
    public async Task A_change_for_a_pod_already_gone_raises_the_deletion_to_its_running_workflow()
    {
        var uid = Guid.NewGuid().ToString();
        var instanceId = "pod-" + uid;
        _harness.Client
            .Setup(c => c.GetInstanceAsync(instanceId, false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(PodLifecycleOrchestrator.Name, instanceId) { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        object? raised = null;
        _harness.Client
            .Setup(c => c.RaiseEventAsync(instanceId, PodSignal.EventName, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback<string, string, object?, CancellationToken>((_, _, payload, _) => raised = payload)
            .Returns(Task.CompletedTask);
        ExpectResyncDue();

        await ChangeFunctions.DispatchAsync(Message(Change("gone", uid, ObjectChangeType.Deleted)), _harness.Client.Object, _harness.Context);

        var deletion = Assert.IsType<PodDeletionRequested>(Assert.IsType<PodEvent>(raised).Signal);
        Assert.True(deletion.ObjectGone);
        _harness.Client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public async Task A_change_whose_handling_fails_is_rethrown_for_the_host_to_retry_and_reported_on_its_last_try(long dequeueCount, bool reported)
    {
        var uid = Guid.NewGuid().ToString();
        _harness.Client
            .Setup(c => c.GetInstanceAsync("pod-" + uid, false, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("the task hub is away"));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChangeFunctions.DispatchAsync(Message(Change("gone", uid, ObjectChangeType.Deleted), dequeueCount), _harness.Client.Object, _harness.Context));

        Assert.Equal("the task hub is away", thrown.Message);
        if (!reported)
        {
            Assert.Empty(_harness.Poison.Reports);
            return;
        }

        var report = Assert.Single(_harness.Poison.Reports);
        Assert.Equal(("message-1", _harness.Queue.PoisonQueueName, 5L), (report.MessageId, report.PoisonQueue, report.DequeueCount));
        Assert.Equal(uid, report.Change!.Uid);
        Assert.Same(thrown, report.Failure);
        Assert.Contains("the task hub is away", report.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_is_not_a_change_fails_every_try_and_is_reported_on_its_last()
    {
        var garbage = Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage("message-2", "receipt-2", BinaryData.FromString("{\"resource\": 42"), 5);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ChangeFunctions.DispatchAsync(garbage, _harness.Client.Object, _harness.Context));

        var report = Assert.Single(_harness.Poison.Reports);
        Assert.Equal("message-2", report.MessageId);
        Assert.Null(report.Change);
        Assert.StartsWith("it is not an object change", report.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_for_a_pod_whose_workflow_finished_raises_nothing()
    {
        var uid = Guid.NewGuid().ToString();
        _harness.Client
            .Setup(c => c.GetInstanceAsync("pod-" + uid, false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(PodLifecycleOrchestrator.Name, "pod-" + uid) { RuntimeStatus = OrchestrationRuntimeStatus.Completed });
        ExpectResyncDue();

        await ChangeFunctions.DispatchAsync(Message(Change("gone", uid, ObjectChangeType.Deleted)), _harness.Client.Object, _harness.Context);

        // The strict mock would have thrown on any start or event.
        _harness.Client.VerifyAll();
    }

    [Fact]
    public async Task A_change_schedules_a_resync_one_resync_interval_later_when_none_is_due()
    {
        var uid = Guid.NewGuid().ToString();
        var starts = ExpectStarts();

        await ChangeFunctions.DispatchAsync(Message(Change("gone", uid, ObjectChangeType.Deleted)), _harness.Client.Object, _harness.Context);

        var (name, input, options) = Assert.Single(starts);
        Assert.Equal(ResyncOrchestrator.Name, name.Name);
        Assert.Equal(ResyncOrchestrator.InstanceId, options!.InstanceId);
        Assert.Equal(new ResyncRequest(new DispatcherOptions().ResyncInterval), input);
    }

    [Fact]
    public async Task The_resync_activity_starts_a_workflow_for_every_pod_that_has_none()
    {
        var web = await _harness.StorePodAsync("web");
        var db = await _harness.StorePodAsync("db");
        var starts = ExpectStarts();

        await ActivityFunctions.ResyncChangesAsync(new ResyncRequest(TimeSpan.FromMinutes(5)), _harness.Client.Object, _harness.Context);

        Assert.Equal(
            new[] { "pod-" + web.Metadata.Uid, "pod-" + db.Metadata.Uid }.Order(),
            starts.Where(s => s.Name.Name == PodLifecycleOrchestrator.Name).Select(s => s.Options!.InstanceId!).Order());
    }

    [Fact]
    public void The_trigger_reads_the_queue_the_store_writes_to_with_the_hosts_storage_connection()
    {
        // The setting the trigger's expression names is the store's Storage:ChangeQueue in its environment form.
        Assert.Equal(AzureStorageOptions.SectionName + "__" + nameof(AzureStorageOptions.ChangeQueue), ChangeFunctions.ChangeQueueSetting);
        Assert.Equal("%" + ChangeFunctions.ChangeQueueSetting + "%", ChangeFunctions.ChangeQueueExpression);
        Assert.Equal(ChangeFunctions.Connection, AzureStorageServiceCollectionExtensions.WebJobsStorageSetting);
    }
}
