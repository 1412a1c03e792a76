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
/// <param name="Dirty">Whether a sync is wanted (however many signals asked for it).</param>
/// <param name="Syncs">How many syncs ran.</param>
public sealed record CounterState(
    int Acted = 0,
    int Observed = 0,
    int Pending = 0,
    DateTimeOffset? ActAt = null,
    DateTimeOffset? ActedAt = null,
    int Renewals = 0,
    bool Finish = false,
    bool FinishAfterTimedWork = false,
    bool Dirty = false,
    int Syncs = 0);

/// <summary>A signal to the test loop.</summary>
/// <param name="Work">How much work it asks for.</param>
/// <param name="Finish">Whether it ends the loop.</param>
/// <param name="Dirty">Whether it asks for a sync, as a controller's wake does: many such signals need one sync.</param>
public sealed record CounterSignal(int Work = 0, bool Finish = false, bool Dirty = false);

/// <summary>The activity's request: one unit of work.</summary>
/// <param name="Unit">Which unit: a signal's work from 0 on, <see cref="CounterReconciler.TimedUnit"/> or <see cref="CounterReconciler.SyncUnit"/>.</param>
public sealed record CounterWork(int Unit);

/// <summary>
/// A reconciler that does one unit of work per pending signal and one timed piece of work at <see cref="CounterState.ActAt"/>,
/// so the loop's rules (signals, due times, continue-as-new, failure retry) can be watched on the test host.
/// </summary>
public sealed class CounterReconciler(int turnsPerExecution) : IReconciler<CounterState, CounterSignal, CounterWork, int>
{
    public const string Orchestration = "Counter";

    public const string Activity = "CountActivity";

    public const int TimedUnit = -1;

    public const int SyncUnit = -2;

    public string ActivityName => Activity;

    public string SignalName => "counter";

    public int TurnsPerExecution => turnsPerExecution;

    public LoopStep<CounterWork> Plan(CounterState state, DateTimeOffset now)
    {
        if ((state.Finish && state.Pending == 0 && !state.Dirty) || (state.FinishAfterTimedWork && state.ActedAt is not null))
        {
            return LoopStep.Finished<CounterWork>();
        }

        if (state.Pending > 0)
        {
            return LoopStep.Act(new CounterWork(state.Acted));
        }

        if (state.Dirty)
        {
            return LoopStep.Act(new CounterWork(SyncUnit));
        }

        if (state.ActAt is { } due && state.ActedAt is null)
        {
            return now >= due ? LoopStep.Act(new CounterWork(TimedUnit)) : LoopStep.Wait<CounterWork>(due);
        }

        return LoopStep.Wait<CounterWork>();
    }

    public CounterState Apply(CounterState state, CounterWork work, int result, DateTimeOffset now) => work.Unit switch
    {
        SyncUnit => state with { Dirty = false, Syncs = state.Syncs + 1 },
        TimedUnit => state with { ActedAt = now, Acted = state.Acted + 1 },
        _ => state with { Acted = state.Acted + 1, Pending = state.Pending - 1 },
    };

    public CounterState Observe(CounterState state, CounterSignal signal) =>
        state with { Observed = state.Observed + 1, Pending = state.Pending + signal.Work, Finish = state.Finish || signal.Finish, Dirty = state.Dirty || signal.Dirty };

    public CounterState Renew(CounterState state) => state with { Renewals = state.Renewals + 1 };
}
