using DurableKube.Domain.Jobs;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.Resources;
using DurableKube.Ports.Store;
using DurableKube.Testing.Runtime;
using k8s.Models;

namespace DurableKube.Workflows.Tests.Batch;

public sealed class CronJobControllerTests : IAsyncLifetime
{
    private WorkflowHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_CronJob_makes_a_Job_at_its_scheduled_time_on_a_durable_timer_and_records_it()
    {
        _harness.Runtime.Behavior = _ => FakeBehavior.Exits(TimeSpan.FromMilliseconds(100), 0);
        var cronJob = (V1CronJob)await _harness.Registry.CreateAsync(ResourceTypes.CronJobs, new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "tick", NamespaceProperty = "default" },
            Spec = new V1CronJobSpec
            {
                // A schedule Kubernetes accepts that fires within the test; the minute fields are the tables' business.
                Schedule = "@every 2s",
                JobTemplate = new V1JobTemplateSpec
                {
                    Spec = new V1JobSpec
                    {
                        Template = new V1PodTemplateSpec
                        {
                            Spec = new V1PodSpec
                            {
                                RestartPolicy = "OnFailure",
                                Containers = [new V1Container { Name = "hello", Image = "busybox", Command = ["date"] }],
                            },
                        },
                    },
                },
            },
        });

        V1Job? job = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (job is null && DateTime.UtcNow < deadline)
        {
            job = (await _harness.Store.ListAsync(ResourceTypes.Jobs, "default", ListQuery.All)).Items.Cast<V1Job>()
                .FirstOrDefault(j => OwnerReferences.ControllerOf(j.Metadata)?.Uid == cronJob.Metadata.Uid);
            await Task.Delay(100);
        }

        Assert.NotNull(job);
        Assert.Matches("^tick-[0-9]+$", job.Metadata.Name);
        var scheduled = DateTimeOffset.Parse(job.Metadata.Annotations[JobLabels.CronJobScheduledTimestamp], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"tick-{scheduled.ToUnixTimeSeconds() / 60}", job.Metadata.Name);
        Assert.True(scheduled >= cronJob.Metadata.CreationTimestamp!.Value.AddSeconds(1));

        V1CronJob? current = null;
        while (DateTime.UtcNow < deadline)
        {
            current = (V1CronJob?)await _harness.Store.GetAsync(new ObjectKey(ResourceTypes.CronJobs, "default", "tick"));
            if (current?.Status?.LastSuccessfulTime is not null)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.NotNull(current?.Status?.LastScheduleTime);
        Assert.NotNull(current.Status.LastSuccessfulTime);
    }
}
