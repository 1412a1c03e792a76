using DurableKube.LocalHost.Durable;
using DurableKube.Ports.Workflows;
using DurableKube.Store.AzureStorage;
using DurableKube.Testing.Azurite;
using DurableKube.Workflows.Hosting;
using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableKube.LocalHost.Tests.Durable;

/// <summary>
/// The local host's Durable Task worker started afresh under a client that goes on (what the watchdog asks when a
/// termination does not take): a workflow waiting for an event takes the event sent after the restart, and an activity in
/// flight at the restart goes back to its queue and runs again to completion. On a task hub of its own in Azurite.
/// </summary>
public sealed class DurableTaskFrameworkHostTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_restarted_worker_takes_events_sent_after_it_and_runs_again_the_activity_it_cut_short()
    {
        var activityRuns = 0;
        var firstRunStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Catalog(IWorkflowRegistrar registrar)
        {
            registrar.AddOrchestrator<string, string>("Wait", async (context, input) => input + await context.WaitForExternalEvent<string>("go"));
            registrar.AddOrchestrator<string, string>("Act", (context, input) => context.CallActivityAsync<string>("Slow", input));
            registrar.AddActivity<string, string>("Slow", async (_, input, cancellationToken) =>
            {
                if (Interlocked.Increment(ref activityRuns) == 1)
                {
                    // The first run waits until its worker stops: the restart cancels it, and it goes back to its queue.
                    firstRunStarted.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return input + " done";
            });
        }

        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.SetupGet(l => l.ApplicationStopping).Returns(CancellationToken.None);
        var options = new DurableTaskOptions
        {
            TaskHub = AzuriteFixture.UniqueName("restart"),
            WorkerId = "restart-test",
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var host = new DurableTaskFrameworkHost(
            new ServiceCollection().BuildServiceProvider(), Options.Create(options), Options.Create(new AzureStorageOptions { ConnectionString = azurite.ConnectionString }),
            NullLoggerFactory.Instance, lifetime.Object, Catalog);
        IWorkflowClient workflows = new TaskHubWorkflowClient(host);
        await host.StartAsync(CancellationToken.None);

        Assert.True(await workflows.StartAsync("Wait", "wait-1", "waited: "));
        Assert.True(await workflows.StartAsync("Act", "act-1", "slow"));
        await firstRunStarted.Task.WaitAsync(Patience);
        await Eventually.WaitAsync(() => workflows.GetStateAsync("wait-1"), s => s == WorkflowInstanceState.Running, Patience, "the waiting workflow to run");

        Assert.True(await host.RestartAsync("a test restarts it"));

        await workflows.RaiseEventAsync("wait-1", "go", "went");
        var waited = await host.Client.WaitForOrchestrationAsync(new OrchestrationInstance { InstanceId = "wait-1" }, Patience);
        var acted = await host.Client.WaitForOrchestrationAsync(new OrchestrationInstance { InstanceId = "act-1" }, Patience);
        Assert.Equal((OrchestrationStatus.Completed, "\"waited: went\""), (waited?.OrchestrationStatus, waited?.Output));
        Assert.Equal((OrchestrationStatus.Completed, "\"slow done\""), (acted?.OrchestrationStatus, acted?.Output));
        Assert.Equal(2, activityRuns);

        await host.StopAsync(CancellationToken.None);
        Assert.False(await host.RestartAsync("stopped hosts do not restart"));
    }
}
