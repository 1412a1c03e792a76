using DurableKube.Workflows.Controllers;
using DurableKube.Workflows.Reconcile;

namespace DurableKube.Workflows.Tests.Reconcile;

/// <summary>The decisions of every controller's loop: when to sync, when to sleep, when to end.</summary>
public sealed class ControllerReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly ControllerReconciler Reconciler = new("SyncThing");
    private static readonly ControllerState Fresh = new(new ControllerRef("nodes", null, "node-1", "uid-1"));

    [Fact]
    public void A_new_controller_syncs_at_once() =>
        Assert.Equal(Fresh.Object, Reconciler.Plan(Fresh, Now).Work);

    [Fact]
    public void A_sync_that_asks_for_a_later_look_sleeps_until_then_and_never_longer_than_the_resync_period()
    {
        var soon = Reconciler.Apply(Fresh, Fresh.Object, new ControllerSyncResult(false, Now.AddSeconds(3)), Now);
        var late = Reconciler.Apply(Fresh, Fresh.Object, new ControllerSyncResult(false, Now.AddHours(3)), Now);

        Assert.Equal((null, Now.AddSeconds(3)), (Reconciler.Plan(soon, Now).Work, Reconciler.Plan(soon, Now).WakeAt));
        Assert.Equal(Now + ControllerReconciler.ResyncPeriod, Reconciler.Plan(late, Now).WakeAt);
    }

    [Fact]
    public void A_sync_that_finds_nothing_left_ends_the_loop()
    {
        var done = Reconciler.Apply(Fresh, Fresh.Object, ControllerSyncResult.ObjectGone, Now);

        Assert.True(Reconciler.Plan(done, Now).Done);
    }

    [Fact]
    public void A_sync_that_finds_nothing_to_watch_waits_for_a_wake_with_no_timer_and_syncs_when_woken()
    {
        var idle = Reconciler.Apply(Fresh, Fresh.Object, ControllerSyncResult.Idling, Now);

        var step = Reconciler.Plan(idle, Now.AddDays(30));
        Assert.Equal((false, null, null), (step.Done, step.Work, step.WakeAt));
        Assert.Equal(Fresh.Object, Reconciler.Plan(Reconciler.Observe(idle, new Wake("binding of pods default/web-1")), Now).Work);
    }

    [Fact]
    public void A_wake_that_arrived_while_the_last_sync_ran_brings_one_more_sync_instead_of_the_end()
    {
        var done = Reconciler.Apply(Fresh, Fresh.Object, ControllerSyncResult.ObjectGone, Now);

        var woken = Reconciler.Observe(done, new Wake("binding of pods default/web-1"));

        Assert.Equal(Fresh.Object, Reconciler.Plan(woken, Now).Work);
    }
}
