using DurableKube.Workflows.Reconcile;
using Moq;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableKube.Workflows.Tests.Reconcile;

/// <summary>
/// The loop's rules that the test host cannot show, over a strict orchestration context mock whose clock
/// stands still: a timer that fires early is set again without planning, and the one signal waiter is
/// never given up or duplicated.
/// </summary>
public sealed class ReconcileLoopRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_timer_that_fires_before_its_due_time_is_set_again_and_nothing_is_planned_early()
    {
        var reconciler = new CountingReconciler(new CounterReconciler(turnsPerExecution: 6));
        var due = new DateTimeOffset(Now).AddSeconds(10);
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.SetupGet(c => c.InstanceId).Returns("counter-1");
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        var never = new TaskCompletionSource<CounterSignal>();
        context.Setup(c => c.WaitForExternalEvent<CounterSignal>("counter", It.IsAny<CancellationToken>())).Returns(never.Task);

        // Every timer "fires" at once, while the clock still says 12:00:00, as the Azure Storage provider's may fire early.
        context.Setup(c => c.CreateTimer(due.UtcDateTime, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        object? carried = null;
        context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true)).Callback<object?, bool>((input, _) => carried = input);
        var published = new List<LoopStatus>();
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => published.Add(Assert.IsType<LoopStatus>(s)));

        var result = await ReconcileLoop.RunAsync(context.Object, new ReconcileInput<CounterState>(new CounterState(ActAt: due)), reconciler);

        // Before each wait it says what it waits for and when its timer is due.
        Assert.Equal(6, published.Count);
        Assert.All(published, s => Assert.Equal(("signal counter or timer", (DateTimeOffset?)due), (s.WaitingFor, s.NextTimer)));
        Assert.Equal([0, 1, 2, 3, 4, 5], published.Select(s => s.Turn));

        Assert.Null(result);
        Assert.Equal(1, reconciler.Plans);
        context.Verify(c => c.CreateTimer(due.UtcDateTime, It.IsAny<CancellationToken>()), Times.Exactly(6));
        context.Verify(c => c.WaitForExternalEvent<CounterSignal>("counter", It.IsAny<CancellationToken>()), Times.Once);
        var next = Assert.IsType<ReconcileInput<CounterState>>(carried);
        Assert.Equal(1, next.State.Renewals);
        Assert.Equal(ReconcileLoop.CurrentVersion, next.Version);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1, 0)]
    public async Task A_timer_that_fired_less_than_a_second_early_is_set_again_a_second_out_not_for_what_remains(int version, int rearmedLater)
    {
        var reconciler = new CountingReconciler(new CounterReconciler(turnsPerExecution: 4));
        var due = new DateTimeOffset(Now).AddMilliseconds(300);
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.SetupGet(c => c.InstanceId).Returns("counter-1");
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        context.Setup(c => c.WaitForExternalEvent<CounterSignal>("counter", It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource<CounterSignal>().Task);
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()));
        context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), true));

        // Every timer "fires" at once while the clock stands 300 ms before the due time, as a whole-second visibility delay rounded down does.
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await ReconcileLoop.RunAsync(context.Object, new ReconcileInput<CounterState>(new CounterState(ActAt: due), version), reconciler);

        // Version 2: the first timer is for the due time, each one set again after an early fire a second out.
        context.Verify(c => c.CreateTimer(due.UtcDateTime, It.IsAny<CancellationToken>()), Times.Exactly(version >= 2 ? 1 : 4));
        context.Verify(c => c.CreateTimer(Now.AddSeconds(1), It.IsAny<CancellationToken>()), Times.Exactly(3 * rearmedLater));
        Assert.Equal(1, reconciler.Plans);
    }

    [Fact]
    public async Task A_signal_that_arrived_while_the_last_activity_ran_is_acted_on_before_the_loop_ends()
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        context.SetupGet(c => c.InstanceId).Returns("counter-1");
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        context.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).ReturnsAsync(0);
        var published = new List<LoopStatus>();
        context.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(s => published.Add(Assert.IsType<LoopStatus>(s)));

        // The first waiter finds a signal buffered (sent while the activity ran); no other signal comes.
        context.SetupSequence(c => c.WaitForExternalEvent<CounterSignal>("counter", It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new CounterSignal(Work: 1)))
            .Returns(new TaskCompletionSource<CounterSignal>().Task);

        var result = await ReconcileLoop.RunAsync(
            context.Object, new ReconcileInput<CounterState>(new CounterState(Pending: 1, Finish: true)), new CounterReconciler(turnsPerExecution: 10));

        Assert.NotNull(result);
        Assert.Equal((2, 1, 0), (result.Acted, result.Observed, result.Pending));
        context.Verify(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Exactly(2));
        Assert.Equal(["activity CountActivity", "activity CountActivity"], published.Select(s => s.WaitingFor));
    }

    /// <summary>Counts the plans a reconciler makes.</summary>
    private sealed class CountingReconciler(CounterReconciler inner) : IReconciler<CounterState, CounterSignal, CounterWork, int>
    {
        public int Plans { get; private set; }

        public string ActivityName => inner.ActivityName;

        public string SignalName => inner.SignalName;

        public int TurnsPerExecution => inner.TurnsPerExecution;

        public LoopStep<CounterWork> Plan(CounterState state, DateTimeOffset now)
        {
            Plans++;
            return inner.Plan(state, now);
        }

        public CounterState Apply(CounterState state, CounterWork work, int result, DateTimeOffset now) => inner.Apply(state, work, result, now);

        public CounterState Observe(CounterState state, CounterSignal signal) => inner.Observe(state, signal);

        public CounterState Renew(CounterState state) => inner.Renew(state);
    }
}
