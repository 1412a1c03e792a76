using System.Runtime.CompilerServices;
using DurableKube.Domain.Kubelet;
using DurableKube.Ports.Runtime;

namespace DurableKube.Runtime.Aci;

/// <summary>The bulk observation of the node's groups: one list per call, reads of the groups that are due.</summary>
public sealed partial class AciContainerRuntime
{
    /// <inheritdoc />
    /// <remarks>
    /// One list of the resource group (every page) when one is due (<see cref="ListSpacing(TimeSpan, TimeSpan, int)"/>), then a GET of each group that is due (at most
    /// <see cref="AciRuntimeOptions.MaxReadsPerObservation"/>, see <see cref="DueForRead"/>), whose provisioning state
    /// changed since the last list, that is new, or that the list no longer shows (a GET that finds nothing means the
    /// group was deleted behind our back: its runs that had not exited are reported exited with
    /// <c>ContainerStatusUnknown</c>). Runs are reported from the latest read of each group.
    /// </remarks>
    public async Task<IReadOnlyList<ContainerRunStatus>> ListContainersAsync(CancellationToken cancellationToken = default)
    {
        await _observing.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            Dictionary<string, Arm.Models.ContainerGroup>? listed = null;
            if (_listedAt is not { } last || now - last >= ListSpacing(_options.MaxReadInterval, _options.ObserveInterval, _groups.Count))
            {
                listed = (await _arm.ListAsync(cancellationToken)).Where(IsOurs).ToDictionary(group => GroupObservation.UidOf(group)!, StringComparer.Ordinal);
                _listedAt = now;
                foreach (var (uid, group) in listed)
                {
                    var entry = _groups.GetOrAdd(uid, _ => new GroupEntry(uid, group.Name!) { DueAt = now });
                    if (entry.ListedState != group.Properties.ProvisioningState)
                    {
                        entry.ListedState = group.Properties.ProvisioningState;
                        entry.DueAt = now;
                    }
                }
            }

            if (listed is not null)
            {
                foreach (var entry in _groups.Values.Where(entry => !listed.ContainsKey(entry.PodUid)))
                {
                    entry.DueAt = now;
                }
            }

            foreach (var entry in DueForRead(_groups.Values, now, _options.MaxReadsPerObservation))
            {
                var before = entry.Observed;
                if (await ReadAsync(entry, cancellationToken, fresh: true) is null)
                {
                    Vanished(entry, before);
                }
            }

            var runs = new List<ContainerRunStatus>(_vanished.Values);
            foreach (var entry in _groups.Values)
            {
                if (entry.Observed is { } group)
                {
                    runs.AddRange(GroupObservation.RunsOf(group, entry.PodUid));
                }
            }

            return [.. runs.Select(run => run with { Acknowledged = _acknowledged.ContainsKey(run.Id) })];
        }
        finally
        {
            _observing.Release();
        }
    }

    /// <summary>
    /// The groups an observation reads: those due, longest due first, at most <paramref name="max"/> (<see
    /// cref="AciRuntimeOptions.MaxReadsPerObservation"/>); the others stay due and come first in the next.
    /// </summary>
    /// <param name="groups">The node's groups.</param>
    /// <param name="now">The observation's time.</param>
    /// <param name="max">The most it reads.</param>
    /// <returns>The groups to read, in order.</returns>
    internal static IReadOnlyList<GroupEntry> DueForRead(IEnumerable<GroupEntry> groups, DateTimeOffset now, int max) =>
        [.. groups.Where(g => g.DueAt <= now).OrderBy(g => g.DueAt).ThenBy(g => g.Name, StringComparer.Ordinal).Take(max)];

    /// <summary>
    /// How long after a list the next one is due: <paramref name="observeInterval"/>, or longer while the node holds few
    /// groups, so the list costs a node's pods at most a third of their own reads once settled (one read per group every
    /// <paramref name="maxReadInterval"/>): <c>3 × maxReadInterval / groups</c>. With the defaults (15 min, 30 s) a node of
    /// 90 groups or more lists every 30 s, one of 10 every 4.5 minutes, one of 1 every 45 minutes; settled, reads stay
    /// under 1/15 + 1/45 ≈ 0.09 per pod-minute whatever the count.
    /// </summary>
    /// <param name="maxReadInterval">The longest wait between two reads of a group (<see cref="AciRuntimeOptions.MaxReadInterval"/>).</param>
    /// <param name="observeInterval">How often the node is observed (<see cref="AciRuntimeOptions.ObserveInterval"/>).</param>
    /// <param name="groups">The groups the node holds.</param>
    /// <returns>The time between two lists.</returns>
    internal static TimeSpan ListSpacing(TimeSpan maxReadInterval, TimeSpan observeInterval, int groups)
    {
        var spacing = TimeSpan.FromTicks(3 * maxReadInterval.Ticks / Math.Max(1, groups));
        return spacing > observeInterval ? spacing : observeInterval;
    }

    /// <inheritdoc />
    /// <remarks>ACI pushes nothing: this observes every <see cref="AciRuntimeOptions.ObserveInterval"/> and yields each exit not yet acknowledged once.</remarks>
    public async IAsyncEnumerable<ContainerRunStatus> WatchExitsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = new HashSet<ContainerRunId>();
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<ContainerRunStatus>? runs = null;
            try
            {
                runs = await ListContainersAsync(cancellationToken);
            }
            catch (ContainerRuntimeException e) when (e.Transient)
            {
                // ARM is throttling or unwell: the next round tries again.
            }

            foreach (var run in (runs ?? []).Where(run => run.State == ContainerRunState.Exited && !run.Acknowledged && yielded.Add(run.Id)))
            {
                yield return run;
            }

            // Forget runs the runtime no longer holds (their pods were removed), so the set stays as small as the node.
            if (runs is not null)
            {
                yielded.IntersectWith(runs.Select(run => run.Id));
            }

            try
            {
                await Task.Delay(_options.ObserveInterval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>A group that a read found gone: its runs that had not exited are reported exited, status unknown.</summary>
    private void Vanished(GroupEntry entry, Arm.Models.ContainerGroup? lastSeen)
    {
        _groups.TryRemove(entry.PodUid, out _);
        Log.GroupGone(_logger, entry.Name, entry.PodUid);
        if (lastSeen is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var run in GroupObservation.RunsOf(lastSeen, entry.PodUid))
        {
            _vanished[run.Id] = run.State == ContainerRunState.Exited ? run : run with
            {
                State = ContainerRunState.Exited,
                FinishedAt = now,
                ExitCode = 137,
                Reason = PodLifecycle.ContainerStatusUnknownReason,
                Message = $"The container group {entry.Name} was deleted outside DurableKube.",
            };
        }
    }
}
