using DurableKube.Testing;
using DurableKube.Workflows.Reconcile;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Reconcile;

/// <summary>The one reconcile loop, tested once, on the in-process Durable Task test host with a counting reconciler.</summary>
public sealed class ReconcileLoopTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly Failures _failures = new();
    private TaskCompletionSource? _hold;
    private DurableTaskTestHost _host = null!;

    private DurableTaskClient Client => _host.Client;

    public async Task InitializeAsync()
    {
        var reconciler = new CounterReconciler(turnsPerExecution: 5);
        var longer = new CounterReconciler(turnsPerExecution: 100);
        _host = await DurableTaskTestHost.StartAsync(
            registry => registry
                .AddOrchestratorFunc<ReconcileInput<CounterState>, CounterState?>(
                    CounterReconciler.Orchestration, (context, input) => ReconcileLoop.RunAsync(context, input!, reconciler))
                .AddOrchestratorFunc<ReconcileInput<CounterState>, CounterState?>(
                    LongerExecutions, (context, input) => ReconcileLoop.RunAsync(context, input!, longer))
                .AddActivityFunc<CounterWork, int>(CounterReconciler.Activity, async (_, work) =>
                {
                    if (work!.Unit == 0 && _hold is { } hold)
                    {
                        await hold.Task;
                    }

                    return _failures.Take() ? throw new InvalidOperationException("injected fault") : work.Unit;
                }),
            new DurableTaskTestHostOptions { Port = FreePort.Next(), LoggerFactory = NullLoggerFactory.Instance });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Two tries per turn, then a new turn 300 ms later.</summary>
    private static readonly ReconcileTimings Timings = new(2, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));

    /// <summary>The same loop with executions of 100 turns, where continue-as-new does not fold a burst in by itself.</summary>
    private const string LongerExecutions = CounterReconciler.Orchestration + "Longer";

    private Task<string> StartAsync(CounterState state, string orchestration = CounterReconciler.Orchestration) =>
        Client.ScheduleNewOrchestrationInstanceAsync(orchestration, new ReconcileInput<CounterState>(state, Timings: Timings));

    private async Task<CounterState> FinishAsync(string id)
    {
        await Client.RaiseEventAsync(id, "counter", new CounterSignal(Finish: true));
        using var timeout = new CancellationTokenSource(Wait);
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<CounterState>()!;
    }

    [Fact]
    public async Task Every_signal_is_observed_and_its_work_done_across_executions_even_with_events_pending_at_continue_as_new()
    {
        var id = await StartAsync(new CounterState());

        // Twelve signals at once: the loop continues as new every five turns, with the rest still queued.
        for (var i = 0; i < 12; i++)
        {
            await Client.RaiseEventAsync(id, "counter", new CounterSignal(Work: 1));
        }

        var final = await FinishAsync(id);

        Assert.Equal(13, final.Observed);
        Assert.Equal(12, final.Acted);
        Assert.True(final.Renewals >= 2, $"the loop should have continued as new at least twice in {final.Observed + final.Acted} turns of work; it did {final.Renewals}");
    }

    [Fact]
    public async Task Signals_that_arrive_together_are_observed_together_and_cost_one_sync()
    {
        // The loop is held in an activity while twenty wakes arrive, as a ReplicaSet's pods' changes arrive while it syncs.
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await StartAsync(new CounterState(), LongerExecutions);
        await Client.RaiseEventAsync(id, "counter", new CounterSignal(Work: 1));
        using (var timeout = new CancellationTokenSource(Wait))
        {
            while ((await Client.GetInstanceAsync(id, getInputsAndOutputs: false, timeout.Token))?.RuntimeStatus != OrchestrationRuntimeStatus.Running)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        for (var i = 0; i < 20; i++)
        {
            await Client.RaiseEventAsync(id, "counter", new CounterSignal(Dirty: true));
        }

        _hold.SetResult();
        var final = await FinishAsync(id);

        Assert.Equal(22, final.Observed);
        Assert.Equal(1, final.Acted);
        Assert.True(final.Syncs is >= 1 and <= 3, $"{final.Syncs} syncs for {final.Observed} signals");
    }

    [Fact]
    public async Task Timed_work_runs_at_its_due_time_not_before()
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var id = await StartAsync(new CounterState(ActAt: due, FinishAfterTimedWork: true));

        using var timeout = new CancellationTokenSource(Wait);
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        var final = done.ReadOutputAs<CounterState>()!;

        Assert.True(final.ActedAt >= due, $"acted at {final.ActedAt:O}, due {due:O}");
        Assert.True(final.ActedAt < due.AddSeconds(5), $"acted at {final.ActedAt:O}, due {due:O}");
    }

    [Fact]
    public async Task A_signal_wakes_a_loop_that_waits_on_a_timer()
    {
        var id = await StartAsync(new CounterState(ActAt: DateTimeOffset.UtcNow.AddHours(1)));
        await Client.RaiseEventAsync(id, "counter", new CounterSignal(Work: 2));

        var final = await FinishAsync(id);

        Assert.Equal(2, final.Acted);
        Assert.Null(final.ActedAt);
    }

    [Fact]
    public async Task Work_that_fails_all_its_retries_is_tried_again_later_and_the_workflow_does_not_fail()
    {
        // The activity's own policy tries twice; four faults outlast it, so the loop waits and tries again.
        _failures.Arm(4);
        var id = await StartAsync(new CounterState());
        await Client.RaiseEventAsync(id, "counter", new CounterSignal(Work: 1));

        using var timeout = new CancellationTokenSource(Wait);
        while (_failures.Left > 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        var final = await FinishAsync(id);

        Assert.Equal(1, final.Acted);
        Assert.Equal(0, final.Pending);
    }

    /// <summary>Faults to inject into the activity, counted down.</summary>
    private sealed class Failures
    {
        private int _left;

        public int Left => Volatile.Read(ref _left);

        public void Arm(int count) => Volatile.Write(ref _left, count);

        public bool Take()
        {
            while (true)
            {
                var left = Volatile.Read(ref _left);
                if (left <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _left, left - 1, left) == left)
                {
                    return true;
                }
            }
        }
    }
}
