using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Tests.Reconcile;

/// <summary>What the test loop carries: how often it acted and observed, what it waits for, how it was told to end.</summary>
/// <param name="Acted">Activity calls that succeeded.</param>
/// <param name="Observed">Signals observed.</param>
/// <param name="Pending">Work asked for by signals and not yet done.</param>
/// <param name="ActAt">A time before which the next piece of timed work must not run.</param>
/// <param name="ActedAt">When the timed work ran.</param>
/// <param name="Renewals">How many times the loop continued as new.</param>
/// <param name="Finish">Whether the loop ends once no work is pending (a signal can ask for it).</param>
/// <param name="FinishAfterTimedWork">Whether the loop ends once the timed work has run.</param>
public sealed record CounterState(
    int Acted = 0,
    int Observed = 0,
    int Pending = 0,
    DateTimeOffset? ActAt = null,
    DateTimeOffset? ActedAt = null,
    int Renewals = 0,
    bool Finish = false,
    bool FinishAfterTimedWork = false);

/// <summary>A signal to the test loop.</summary>
/// <param name="Work">How much work it asks for.</param>
/// <param name="Finish">Whether it ends the loop.</param>
public sealed record CounterSignal(int Work = 0, bool Finish = false);

/// <summary>The activity's request: one unit of work, and whether the activity should fail it.</summary>
/// <param name="Unit">Which unit.</param>
public sealed record CounterWork(int Unit);

/// <summary>
/// A reconciler that does one unit of work per pending signal and one timed piece of work at <see cref="CounterState.ActAt"/>,
/// so the loop's rules (signals, due times, continue-as-new, failure retry) can be watched on the test host.
/// </summary>
public sealed class CounterReconciler(int turnsPerExecution) : IReconciler<CounterState, CounterSignal, CounterWork, int>
{
    public const string Orchestration = "Counter";

    public const string Activity = "CountActivity";

    public string ActivityName => Activity;

    public string SignalName => "counter";

    public int TurnsPerExecution => turnsPerExecution;

    public LoopStep<CounterWork> Plan(CounterState state, DateTimeOffset now)
    {
        if ((state.Finish && state.Pending == 0) || (state.FinishAfterTimedWork && state.ActedAt is not null))
        {
            return LoopStep.Finished<CounterWork>();
        }

        if (state.Pending > 0)
        {
            return LoopStep.Act(new CounterWork(state.Acted));
        }

        if (state.ActAt is { } due && state.ActedAt is null)
        {
            return now >= due ? LoopStep.Act(new CounterWork(-1)) : LoopStep.Wait<CounterWork>(due);
        }

        return LoopStep.Wait<CounterWork>();
    }

    public CounterState Apply(CounterState state, CounterWork work, int result, DateTimeOffset now) => work.Unit < 0
        ? state with { ActedAt = now, Acted = state.Acted + 1 }
        : state with { Acted = state.Acted + 1, Pending = state.Pending - 1 };

    public CounterState Observe(CounterState state, CounterSignal signal) =>
        state with { Observed = state.Observed + 1, Pending = state.Pending + signal.Work, Finish = state.Finish || signal.Finish };

    public CounterState Renew(CounterState state) => state with { Renewals = state.Renewals + 1 };
}
