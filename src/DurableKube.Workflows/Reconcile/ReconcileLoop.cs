using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DurableKube.Workflows.Reconcile;

/// <summary>
/// The durable loop every workflow here runs: plan, act (one activity), observe (signals), wait (a
/// timer or a signal), with the subtle rules of the Durable Task SDK kept in one place:
/// <list type="bullet">
/// <item>Exactly one wait for the signal event is outstanding and it is never cancelled: a cancelled
/// waiter stays on the context's stack and swallows the next event that arrives while the orchestrator
/// awaits an activity.</item>
/// <item>Timers may fire up to a second early (the Azure Storage provider gives a timer's message a visibility delay in
/// whole seconds, rounded down): a timer that fires before its due time is set again, so nothing planned for time T
/// runs before T; from version 2 no sooner than a second from then, since a remainder under a second would fire at once,
/// again and again until T (a turn and a storage round trip each: 14 in one second were seen).</item>
/// <item>A losing timer is cancelled, so it does not keep the instance alive.</item>
/// <item>Every <see cref="IReconciler{TState, TSignal, TWork, TResult}.TurnsPerExecution"/> turns (timer-only
/// turns included) the loop continues as new with its state renewed, so a loop that runs for months keeps a
/// short history. Signals already received are observed first rather than carried over (some backends lose
/// carried events); one that arrives at the very moment of continuing may still be lost, which is why a new
/// execution starts by looking again (<see cref="IReconciler{TState, TSignal, TWork, TResult}.Renew"/>).</item>
/// <item>The loop ends only when the reconciler says so with no signal waiting: a signal that arrived while the
/// last activity ran is observed and planned first, since an event sent to a completed instance is dropped.</item>
/// <item>Signals that arrived together are observed together (from version 2): after the one it awaited, the loop folds
/// in every signal already buffered before it plans again, so a burst of wakes (a ReplicaSet's 200 pods, each pod's
/// change waking it) costs one sync, as a controller's work queue folds repeated keys, not one sync per signal.</item>
/// <item>An activity that fails all its retries does not fail the workflow: the loop plans again after a
/// delay on a durable timer, or at the next signal, as a kubelet or a controller retries a failed sync forever
/// (<see cref="ReconcileTimings"/>, carried in the input).</item>
/// </list>
/// </summary>
public static class ReconcileLoop
{
    /// <summary>
    /// The version of the loop's code. Raise it when a change alters the sequence of what the loop awaits,
    /// and branch on <see cref="ReconcileInput{TState}.Version"/>: executions started before the deploy
    /// replay the old sequence, and move to the new one at their next continue-as-new.
    /// </summary>
    public const int CurrentVersion = 2;

    /// <summary>The first version that observes every signal already buffered together with the one it received.</summary>
    private const int CoalescesSignals = 2;

    /// <summary>The first version that sets a timer that fired early again no sooner than <see cref="EarlyTimerRearm"/> from then.</summary>
    private const int RearmsEarlyTimersLater = 2;

    /// <summary>The whole second a timer that fired early is set again for, at least.</summary>
    private static readonly TimeSpan EarlyTimerRearm = TimeSpan.FromSeconds(1);

    /// <summary>Runs the loop until the reconciler says it is done, or until it continues as new.</summary>
    /// <typeparam name="TState">The reconciler's state.</typeparam>
    /// <typeparam name="TSignal">The signal type.</typeparam>
    /// <typeparam name="TWork">The activity's request.</typeparam>
    /// <typeparam name="TResult">The activity's result.</typeparam>
    /// <param name="context">The orchestration context.</param>
    /// <param name="input">The state and loop version this execution starts from.</param>
    /// <param name="reconciler">The decisions.</param>
    /// <returns>The final state once done; <see langword="null"/> when the loop continued as new.</returns>
    public static async Task<TState?> RunAsync<TState, TSignal, TWork, TResult>(
        TaskOrchestrationContext context,
        ReconcileInput<TState> input,
        IReconciler<TState, TSignal, TWork, TResult> reconciler)
        where TState : class
        where TWork : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(reconciler);
        var logger = context.CreateReplaySafeLogger(typeof(ReconcileLoop));
        var state = input.State;
        var timings = input.Timings ?? ReconcileTimings.Default;
        var activityOptions = timings.ToTaskOptions();
        Task<TSignal>? signal = null;
        DateTimeOffset? dueAt = null;
        var timerFired = false;
        for (var turn = 0; ; turn++)
        {
            if (turn >= reconciler.TurnsPerExecution)
            {
                // Signals that have arrived but are not yet taken are folded in now, not carried: the SDK
                // carries them by sending them to the instance again, which some backends lose at this very
                // moment (durabletask-dotnet #387; the in-process test host drops them). A buffered event
                // completes its waiter at once, the same way on every replay.
                signal ??= context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
                while (signal.IsCompleted)
                {
                    state = reconciler.Observe(state, await signal);
                    signal = context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
                }

                Log.ContinuedAsNew(logger, context.InstanceId, turn);
                context.ContinueAsNew(new ReconcileInput<TState>(reconciler.Renew(state), CurrentVersion, input.Timings), preserveUnprocessedEvents: true);
                return null;
            }

            var now = Now(context);
            if (dueAt is not { } pending || now >= pending)
            {
                timerFired = false;
                var step = reconciler.Plan(state, now);
                if (step.Done)
                {
                    // A signal sent while the last activity ran (a controller's object gained a pod after its sync read
                    // the store) is in this episode already: it is observed and planned, not dropped with the instance.
                    // A buffered event completes its waiter at once, the same way on every replay.
                    signal ??= context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
                    if (!signal.IsCompleted)
                    {
                        return state;
                    }

                    state = reconciler.Observe(state, await signal);
                    signal = null;
                    if (input.Version >= CoalescesSignals)
                    {
                        (state, signal) = await ObserveBufferedAsync(context, reconciler, state);
                    }

                    dueAt = null;
                    continue;
                }

                dueAt = step.WakeAt;
                if (step.Work is { } work)
                {
                    context.SetCustomStatus(new LoopStatus(turn, "activity " + reconciler.ActivityName, dueAt, reconciler.Describe(state)));
                    try
                    {
                        var result = await context.CallActivityAsync<TResult>(reconciler.ActivityName, work, activityOptions);
                        state = reconciler.Apply(state, work, result, Now(context));
                        dueAt = null;
                        continue;
                    }
                    catch (TaskFailedException e)
                    {
                        var retryAt = now + timings.FailedWorkDelay;
                        Log.WorkFailed(logger, context.InstanceId, reconciler.ActivityName, retryAt, e.FailureDetails.ErrorMessage);
                        dueAt = dueAt is { } wake && wake < retryAt ? wake : retryAt;
                    }
                }
            }

            signal ??= context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
            // The custom status says what the loop waits for (a workflow client reads it; replay does not see it).
            context.SetCustomStatus(new LoopStatus(turn, dueAt is null ? "signal " + reconciler.SignalName : "signal " + reconciler.SignalName + " or timer", dueAt, reconciler.Describe(state)));
            if (dueAt is { } due)
            {
                using var cancelTimer = new CancellationTokenSource();
                var fireAt = timerFired && input.Version >= RearmsEarlyTimersLater && due < now + EarlyTimerRearm ? now + EarlyTimerRearm : due;
                var timer = context.CreateTimer(fireAt.UtcDateTime, cancelTimer.Token);
                if (await Task.WhenAny(signal, timer) == timer)
                {
                    // Due, or early: the next turn plans only once the time has really come.
                    timerFired = true;
                    continue;
                }

                cancelTimer.Cancel();
            }

            var received = await signal;
            signal = null;
            dueAt = null;
            state = reconciler.Observe(state, received);
            if (input.Version >= CoalescesSignals)
            {
                (state, signal) = await ObserveBufferedAsync(context, reconciler, state);
            }
        }
    }

    /// <summary>
    /// Observes every signal that is already buffered (a buffered event completes its waiter at once, the same way on
    /// every replay), and returns the state with them and the one outstanding wait for the next.
    /// </summary>
    private static async Task<(TState State, Task<TSignal> Next)> ObserveBufferedAsync<TState, TSignal, TWork, TResult>(
        TaskOrchestrationContext context, IReconciler<TState, TSignal, TWork, TResult> reconciler, TState state)
        where TState : class
        where TWork : class
    {
        var next = context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
        while (next.IsCompleted)
        {
            state = reconciler.Observe(state, await next);
            next = context.WaitForExternalEvent<TSignal>(reconciler.SignalName);
        }

        return (state, next);
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);
}
