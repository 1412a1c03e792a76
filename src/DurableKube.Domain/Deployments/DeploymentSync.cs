using System.Globalization;
using DurableKube.Domain.Controllers;
using DurableKube.Domain.Ownership;
using DurableKube.Domain.ReplicaSets;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Selectors;
using DurableKube.Domain.Serialization;
using k8s.Models;

namespace DurableKube.Domain.Deployments;

/// <summary>
/// The Deployment controller's decisions (pkg/controller/deployment: <c>syncDeployment</c>, <c>sync.go</c>,
/// <c>rolling.go</c>, <c>recreate.go</c>, <c>progress.go</c>, util/deployment_util.go), as pure functions of the
/// Deployment, the ReplicaSets of its namespace, (for Recreate) its pods, and the time. One sync does what one
/// <c>syncDeployment</c> does: claim ReplicaSets, record a pause or resume, then either scale (paused, or a change of
/// replicas) or take one step of the rollout, and compute the status with its Available and Progressing conditions.
/// </summary>
public static class DeploymentSync
{
    /// <summary>How often a Recreate rollout looks again while old pods are still stopping (nothing else wakes it then).</summary>
    public static readonly TimeSpan OldPodsPoll = TimeSpan.FromSeconds(1);

    /// <summary>The Deployment's desired replicas (defaulted to 1).</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <returns>The count.</returns>
    public static int Replicas(V1Deployment deployment) => deployment?.Spec?.Replicas ?? 1;

    /// <summary>Decides one sync.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <param name="replicaSets">Every ReplicaSet of its namespace.</param>
    /// <param name="pods">Every pod of its namespace; needed by Recreate only (<see langword="null"/> counts no pods).</param>
    /// <param name="now">The present.</param>
    /// <returns>The plan.</returns>
    public static DeploymentPlan Plan(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> replicaSets, IReadOnlyList<V1Pod>? pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(replicaSets);
        return new Sync(deployment, now).Run(replicaSets, pods ?? []);
    }

    /// <summary>
    /// Whether a ReplicaSet found under the new ReplicaSet's name is the Deployment's new one (an earlier try of this
    /// sync made it): controlled by the Deployment with the same template. Otherwise the name is taken by another, a
    /// hash collision, and the Deployment's <c>status.collisionCount</c> goes up to give the next try another name.
    /// </summary>
    /// <param name="deployment">The Deployment.</param>
    /// <param name="existing">The ReplicaSet found.</param>
    /// <returns>Whether it is the new ReplicaSet.</returns>
    public static bool IsNewReplicaSet(V1Deployment deployment, V1ReplicaSet existing)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(existing);
        return OwnerReferences.ControllerOf(existing.Metadata)?.Uid == deployment.Metadata.Uid
            && PodTemplateHash.EqualIgnoreHash(deployment.Spec?.Template, existing.Spec?.Template);
    }

    /// <summary>Whether the rollout is complete: every replica updated and available, and the spec observed (<c>DeploymentComplete</c>).</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <param name="status">A status of it.</param>
    /// <returns>Whether it is complete.</returns>
    public static bool IsComplete(V1Deployment deployment, V1DeploymentStatus? status)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var replicas = Replicas(deployment);
        return status is not null
            && (status.UpdatedReplicas ?? 0) == replicas
            && (status.Replicas ?? 0) == replicas
            && (status.AvailableReplicas ?? 0) == replicas
            && (status.ObservedGeneration ?? 0) >= (deployment.Metadata?.Generation ?? 0);
    }

    /// <summary>The revision a ReplicaSet carries, or 0 (<c>Revision</c>).</summary>
    /// <param name="rs">The ReplicaSet.</param>
    /// <returns>The revision.</returns>
    public static long RevisionOf(V1ReplicaSet rs) =>
        rs?.Metadata?.Annotations is { } annotations && annotations.TryGetValue(DeploymentAnnotations.Revision, out var text)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : 0;

    /// <summary>One sync's working state: copies of the ReplicaSets it changes, and the status it builds.</summary>
    private sealed class Sync
    {
        private readonly V1Deployment _d;
        private readonly DateTimeOffset _now;
        private readonly int _replicas;
        private readonly bool _hasDeadline;
        private readonly V1DeploymentStatus _working;
        private readonly HashSet<V1ReplicaSet> _changed = [];
        private readonly List<(string, string)> _events = [];
        private readonly List<V1ReplicaSet> _adopt = [];
        private readonly List<V1ReplicaSet> _release = [];
        private readonly List<V1ReplicaSet> _delete = [];
        private List<V1ReplicaSet> _owned = [];
        private V1ReplicaSet? _create;
        private string? _revision;
        private DateTimeOffset? _requeueAt;

        public Sync(V1Deployment deployment, DateTimeOffset now)
        {
            _d = deployment;
            _now = now;
            _replicas = Replicas(deployment);
            _hasDeadline = deployment.Spec?.ProgressDeadlineSeconds is not null;
            _working = deployment.Status is null ? new V1DeploymentStatus() : KubeJson.Clone(deployment.Status);
        }

        private static int Spec(V1ReplicaSet rs) => ReplicaSetSync.Replicas(rs);

        private static int Actual(V1ReplicaSet? rs) => rs?.Status?.Replicas ?? 0;

        private static int Available(V1ReplicaSet? rs) => rs?.Status?.AvailableReplicas ?? 0;

        private static int Ready(V1ReplicaSet? rs) => rs?.Status?.ReadyReplicas ?? 0;

        private static DateTime Created(V1ReplicaSet rs) => rs.Metadata?.CreationTimestamp ?? DateTime.MaxValue;

        /// <summary>Oldest first; the same time by name (<c>ReplicaSetsByCreationTimestamp</c>).</summary>
        private static IEnumerable<V1ReplicaSet> ByCreation(IEnumerable<V1ReplicaSet> rss) =>
            rss.OrderBy(Created).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal);

        public DeploymentPlan Run(IReadOnlyList<V1ReplicaSet> replicaSets, IReadOnlyList<V1Pod> pods)
        {
            Claim(replicaSets);
            V1DeploymentStatus status;
            if (_d.Metadata.DeletionTimestamp is not null)
            {
                var (newRs, olds) = NewAndOld(create: false);
                status = Calculate(olds, newRs);
            }
            else
            {
                CheckPaused();
                status = _d.Spec?.Paused == true || IsScalingEvent() ? ScaleOnly() : Rollout(pods);
            }

            return new DeploymentPlan(
                _adopt,
                _release,
                _create,
                [.. _owned.Where(_changed.Contains)],
                _delete,
                status,
                _revision,
                _requeueAt,
                _events);
        }

        /// <summary>Adopts orphans the selector matches and releases owned ones it no longer matches (<c>getReplicaSetsForDeployment</c>).</summary>
        private void Claim(IReadOnlyList<V1ReplicaSet> replicaSets)
        {
            LabelSelector selector;
            try
            {
                selector = LabelSelector.FromLabelSelector(_d.Spec?.Selector);
            }
            catch (SelectorParseException)
            {
                selector = LabelSelector.Nothing;
            }

            var deleting = _d.Metadata.DeletionTimestamp is not null;
            foreach (var rs in replicaSets)
            {
                switch (ControllerClaims.Claim(rs, _d.Metadata.Uid, deleting, selector))
                {
                    case ClaimAction.Keep:
                        _owned.Add(KubeJson.Clone(rs));
                        break;
                    case ClaimAction.Adopt:
                        _adopt.Add(rs);
                        var adopted = KubeJson.Clone(rs);
                        adopted.Metadata.OwnerReferences =
                            [.. adopted.Metadata.OwnerReferences ?? [], OwnerReferences.NewControllerRef(ResourceTypes.Deployments.ApiVersion, ResourceTypes.Deployments.Kind, _d.Metadata)];
                        _owned.Add(adopted);
                        break;
                    case ClaimAction.Release:
                        _release.Add(rs);
                        break;
                }
            }

            _owned = [.. ByCreation(_owned)];
        }

        /// <summary>Progressing Unknown with DeploymentPaused or DeploymentResumed when <c>spec.paused</c> changes (<c>checkPausedConditions</c>).</summary>
        private void CheckPaused()
        {
            if (!_hasDeadline)
            {
                return;
            }

            var current = DeploymentConditions.Get(_working, DeploymentConditions.Progressing);
            if (current?.Reason == DeploymentConditions.ProgressDeadlineExceeded)
            {
                return;
            }

            var pausedShown = current?.Reason == DeploymentConditions.DeploymentPaused;
            var paused = _d.Spec?.Paused == true;
            if (paused && !pausedShown)
            {
                DeploymentConditions.Set(_working, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", _now));
            }
            else if (!paused && pausedShown)
            {
                DeploymentConditions.Set(_working, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentResumed, "Deployment is resumed", _now));
            }
        }

        /// <summary>Whether an active ReplicaSet was sized for other replicas than the Deployment's now (<c>isScalingEvent</c>).</summary>
        private bool IsScalingEvent()
        {
            var (newRs, olds) = NewAndOld(create: false);
            return olds.Append(newRs).OfType<V1ReplicaSet>().Where(rs => Spec(rs) > 0).Any(rs =>
                rs.Metadata.Annotations?.TryGetValue(DeploymentAnnotations.DesiredReplicas, out var text) == true
                && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var desired)
                && desired != _replicas);
        }

        /// <summary>A paused Deployment or a change of replicas: scale, no rollout (<c>sync</c>).</summary>
        private V1DeploymentStatus ScaleOnly()
        {
            var (newRs, olds) = NewAndOld(create: false);
            Scale(newRs, olds);
            if (_d.Spec?.Paused == true)
            {
                Cleanup(olds);
            }

            return Calculate(olds, newRs);
        }

        private V1DeploymentStatus Rollout(IReadOnlyList<V1Pod> pods) =>
            RollingUpdateBounds.IsRolling(_d) ? RolloutRolling() : RolloutRecreate(pods);

        /// <summary>One step of a rolling update (<c>rolloutRolling</c>): scale the new ReplicaSet up, or else the old ones down.</summary>
        private V1DeploymentStatus RolloutRolling()
        {
            var (newRs, olds) = NewAndOld(create: true);
            var all = olds.Append(newRs!).ToList();
            if (ReconcileNew(all, newRs!) || ReconcileOld(all, olds, newRs!))
            {
                return RolloutStatus(olds, newRs);
            }

            if (IsComplete(_d, _d.Status))
            {
                Cleanup(olds);
            }

            return RolloutStatus(olds, newRs);
        }

        /// <summary>One step of a Recreate rollout (<c>rolloutRecreate</c>): old ReplicaSets to 0, wait for their pods to go, then the new one up.</summary>
        private V1DeploymentStatus RolloutRecreate(IReadOnlyList<V1Pod> pods)
        {
            var (newRs, olds) = NewAndOld(create: false);
            var scaledDown = false;
            foreach (var old in olds.Where(rs => Spec(rs) > 0))
            {
                scaledDown |= ScaleTo(old, 0);
            }

            if (scaledDown)
            {
                return RolloutStatus(olds, newRs);
            }

            if (OldPodsRunning(newRs, olds, pods))
            {
                _requeueAt = Earliest(_requeueAt, _now + OldPodsPoll);
                return RolloutStatus(olds, newRs);
            }

            if (newRs is null)
            {
                (newRs, olds) = NewAndOld(create: true);
            }

            ScaleTo(newRs!, _replicas);
            if (IsComplete(_d, _d.Status))
            {
                Cleanup(olds);
            }

            return RolloutStatus(olds, newRs);
        }

        /// <summary>Whether pods of old ReplicaSets still run or stop (<c>oldPodsRunning</c>).</summary>
        private static bool OldPodsRunning(V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> olds, IReadOnlyList<V1Pod> pods)
        {
            if (olds.Sum(Actual) > 0)
            {
                return true;
            }

            var oldUids = olds.Select(rs => rs.Metadata.Uid).Where(uid => uid is not null && uid != newRs?.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
            return pods.Any(p => OwnerReferences.ControllerOf(p.Metadata) is { } owner && oldUids.Contains(owner.Uid) && !PodConditions.IsTerminal(p));
        }

        /// <summary>Scales the new ReplicaSet up within the surge, or down to the replicas (<c>reconcileNewReplicaSet</c>).</summary>
        private bool ReconcileNew(IReadOnlyList<V1ReplicaSet> all, V1ReplicaSet newRs)
        {
            var current = Spec(newRs);
            if (current == _replicas)
            {
                return false;
            }

            return ScaleTo(newRs, current > _replicas ? _replicas : NewReplicas(all, newRs));
        }

        /// <summary>How many replicas the new ReplicaSet may have now (<c>NewRSNewReplicas</c>).</summary>
        private int NewReplicas(IReadOnlyList<V1ReplicaSet> all, V1ReplicaSet newRs)
        {
            if (!RollingUpdateBounds.IsRolling(_d))
            {
                return _replicas;
            }

            var maxTotal = _replicas + RollingUpdateBounds.MaxSurge(_d);
            var current = all.Sum(Spec);
            if (current >= maxTotal)
            {
                return Spec(newRs);
            }

            return Spec(newRs) + Math.Min(maxTotal - current, _replicas - Spec(newRs));
        }

        /// <summary>
        /// Scales old ReplicaSets down as far as max unavailable allows, unhealthy replicas first
        /// (<c>reconcileOldReplicaSets</c>, <c>cleanupUnhealthyReplicas</c>, <c>scaleDownOldReplicaSetsForRollingUpdate</c>).
        /// </summary>
        private bool ReconcileOld(IReadOnlyList<V1ReplicaSet> all, IReadOnlyList<V1ReplicaSet> olds, V1ReplicaSet newRs)
        {
            var active = olds.Where(rs => Spec(rs) > 0).ToList();
            if (active.Sum(Spec) == 0)
            {
                return false;
            }

            var minAvailable = _replicas - RollingUpdateBounds.MaxUnavailable(_d);
            var newUnavailable = Spec(newRs) - Available(newRs);
            var maxScaledDown = all.Sum(Spec) - minAvailable - newUnavailable;
            if (maxScaledDown <= 0)
            {
                return false;
            }

            var total = 0;
            foreach (var rs in ByCreation(active).ToList())
            {
                if (total >= maxScaledDown)
                {
                    break;
                }

                if (Spec(rs) == 0 || Spec(rs) == Available(rs))
                {
                    continue;
                }

                var count = Math.Min(maxScaledDown - total, Spec(rs) - Available(rs));
                ScaleTo(rs, Spec(rs) - count);
                total += count;
            }

            var availableCount = all.Sum(Available);
            if (availableCount > minAvailable)
            {
                var toScaleDown = availableCount - minAvailable;
                var scaled = 0;
                foreach (var rs in ByCreation(active).ToList())
                {
                    if (scaled >= toScaleDown)
                    {
                        break;
                    }

                    if (Spec(rs) == 0)
                    {
                        continue;
                    }

                    var count = Math.Min(Spec(rs), toScaleDown - scaled);
                    ScaleTo(rs, Spec(rs) - count);
                    scaled += count;
                }

                total += scaled;
            }

            return total > 0;
        }

        /// <summary>
        /// Scales for a paused Deployment or a change of replicas (<c>scale</c>): the one active ReplicaSet (or the newest)
        /// to the replicas; with a saturated new ReplicaSet the old ones to 0; otherwise every active ReplicaSet in
        /// proportion to its size, so a rollout in flight keeps its shape.
        /// </summary>
        private void Scale(V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> olds)
        {
            var all = olds.Append(newRs).OfType<V1ReplicaSet>().ToList();
            var active = all.Where(rs => Spec(rs) > 0).ToList();
            if (all.Count == 0)
            {
                return;
            }

            if (active.Count <= 1)
            {
                var target = active.Count == 1 ? active[0] : newRs ?? ByCreation(olds).Last();
                if (Spec(target) != _replicas)
                {
                    ScaleTo(target, _replicas);
                }

                return;
            }

            if (IsSaturated(newRs))
            {
                foreach (var old in olds.Where(rs => Spec(rs) > 0))
                {
                    ScaleTo(old, 0);
                }

                return;
            }

            if (!RollingUpdateBounds.IsRolling(_d))
            {
                return;
            }

            var allowed = _replicas > 0 ? _replicas + RollingUpdateBounds.MaxSurge(_d) : 0;
            var toAdd = allowed - active.Sum(Spec);
            var ordered = toAdd switch
            {
                > 0 => [.. active.OrderByDescending(Spec).ThenByDescending(Created).ThenByDescending(rs => rs.Metadata.Name, StringComparer.Ordinal)],
                < 0 => [.. active.OrderByDescending(Spec).ThenBy(Created).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)],
                _ => active,
            };

            var added = 0;
            var sizes = new Dictionary<V1ReplicaSet, int>();
            foreach (var rs in ordered)
            {
                var proportion = toAdd != 0 ? Proportion(rs, toAdd, added) : 0;
                sizes[rs] = Spec(rs) + proportion;
                added += proportion;
            }

            for (var i = 0; i < ordered.Count; i++)
            {
                var rs = ordered[i];
                if (i == 0 && toAdd != 0)
                {
                    sizes[rs] = Math.Max(0, sizes[rs] + toAdd - added);
                }

                ScaleTo(rs, sizes[rs]);
            }
        }

        /// <summary>A ReplicaSet's share of the replicas to add or remove (<c>GetReplicaSetProportion</c>).</summary>
        private int Proportion(V1ReplicaSet rs, int toAdd, int added)
        {
            if (Spec(rs) == 0 || toAdd == 0 || toAdd == added)
            {
                return 0;
            }

            var fraction = Fraction(rs);
            var allowed = toAdd - added;
            return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
        }

        /// <summary>
        /// How much a ReplicaSet grows or shrinks when the Deployment's size changes (<c>getReplicaSetFraction</c>): its size
        /// times the new size over the size it was made for (its <c>max-replicas</c> annotation).
        /// </summary>
        private int Fraction(V1ReplicaSet rs)
        {
            if (_replicas == 0)
            {
                return -Spec(rs);
            }

            var deploymentReplicas = _replicas + RollingUpdateBounds.MaxSurge(_d);
            var annotated = rs.Metadata.Annotations?.TryGetValue(DeploymentAnnotations.MaxReplicas, out var text) == true
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                ? max
                : _d.Status?.Replicas ?? 0;
            if (annotated == 0)
            {
                return 0;
            }

            var size = (double)Spec(rs) * deploymentReplicas / annotated;
            return (int)Math.Round(size, MidpointRounding.AwayFromZero) - Spec(rs);
        }

        /// <summary>Whether the new ReplicaSet has all the replicas and all of them available (<c>IsSaturated</c>).</summary>
        private bool IsSaturated(V1ReplicaSet? newRs) =>
            newRs is not null
            && Spec(newRs) == _replicas
            && newRs.Metadata.Annotations?.TryGetValue(DeploymentAnnotations.DesiredReplicas, out var text) == true
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var desired)
            && desired == _replicas
            && Available(newRs) == _replicas;

        /// <summary>
        /// Sets a ReplicaSet's replicas and its desired and max replicas annotations (<c>scaleReplicaSet</c>).
        /// </summary>
        /// <returns>Whether its size changed.</returns>
        private bool ScaleTo(V1ReplicaSet rs, int replicas)
        {
            var old = Spec(rs);
            var annotated = SetReplicasAnnotations(rs);
            if (old == replicas && !annotated)
            {
                return false;
            }

            rs.Spec ??= new V1ReplicaSetSpec();
            rs.Spec.Replicas = replicas;
            _changed.Add(rs);
            if (old != replicas)
            {
                _events.Add(("ScalingReplicaSet", $"Scaled {(replicas > old ? "up" : "down")} replica set {rs.Metadata.Name} from {old} to {replicas}"));
            }

            return old != replicas;
        }

        private bool SetReplicasAnnotations(V1ReplicaSet rs)
        {
            var desired = _replicas.ToString(CultureInfo.InvariantCulture);
            var max = (_replicas + RollingUpdateBounds.MaxSurge(_d)).ToString(CultureInfo.InvariantCulture);
            var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
            var changed = false;
            foreach (var (key, value) in new[] { (DeploymentAnnotations.DesiredReplicas, desired), (DeploymentAnnotations.MaxReplicas, max) })
            {
                if (!annotations.TryGetValue(key, out var current) || current != value)
                {
                    annotations[key] = value;
                    changed = true;
                }
            }

            return changed;
        }

        /// <summary>
        /// Finds the new ReplicaSet (the oldest whose template is the Deployment's) and the old ones, brings the new one's
        /// revision and annotations up to date, or plans its creation (<c>getAllReplicaSetsAndSyncRevision</c>,
        /// <c>getNewReplicaSet</c>).
        /// </summary>
        private (V1ReplicaSet? New, IReadOnlyList<V1ReplicaSet> Old) NewAndOld(bool create)
        {
            if (_create is not null)
            {
                return (_create, _owned);
            }

            var newRs = _owned.FirstOrDefault(rs => PodTemplateHash.EqualIgnoreHash(rs.Spec?.Template, _d.Spec?.Template));
            var olds = _owned.Where(rs => rs != newRs).ToList();
            var newRevision = (olds.Select(RevisionOf).DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
            if (newRs is not null)
            {
                var minReady = _d.Spec?.MinReadySeconds;
                if (SetNewReplicaSetAnnotations(newRs, newRevision, exists: true) | newRs.Spec.MinReadySeconds != minReady)
                {
                    newRs.Spec.MinReadySeconds = minReady;
                    _changed.Add(newRs);
                }

                SetRevision(Annotation(newRs.Metadata, DeploymentAnnotations.Revision));
                if (_hasDeadline && DeploymentConditions.Get(_working, DeploymentConditions.Progressing) is null)
                {
                    DeploymentConditions.Set(_working, DeploymentConditions.New(
                        DeploymentConditions.Progressing, "True", DeploymentConditions.FoundNewReplicaSet, $"Found new replica set \"{newRs.Metadata.Name}\"", _now));
                }

                return (newRs, olds);
            }

            if (!create)
            {
                return (null, olds);
            }

            _create = NewReplicaSet(olds, newRevision);
            SetRevision(newRevision);
            if (Spec(_create) > 0)
            {
                _events.Add(("ScalingReplicaSet", $"Scaled up replica set {_create.Metadata.Name} from 0 to {Spec(_create)}"));
            }

            if (_hasDeadline)
            {
                DeploymentConditions.Set(_working, DeploymentConditions.New(
                    DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{_create.Metadata.Name}\"", _now));
            }

            _owned = [.. olds];
            return (_create, olds);
        }

        private V1ReplicaSet NewReplicaSet(IReadOnlyList<V1ReplicaSet> olds, string revision)
        {
            var template = KubeJson.Clone(_d.Spec.Template);
            var hash = PodTemplateHash.Compute(template, _working.CollisionCount);
            template.Metadata ??= new V1ObjectMeta();
            template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [DeploymentAnnotations.PodTemplateHashLabel] = hash,
            };
            var selector = KubeJson.Clone(_d.Spec.Selector);
            selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [DeploymentAnnotations.PodTemplateHashLabel] = hash,
            };
            var rs = new V1ReplicaSet
            {
                ApiVersion = ResourceTypes.ReplicaSets.ApiVersion,
                Kind = ResourceTypes.ReplicaSets.Kind,
                Metadata = new V1ObjectMeta
                {
                    Name = _d.Metadata.Name + "-" + hash,
                    NamespaceProperty = _d.Metadata.NamespaceProperty,
                    OwnerReferences = [OwnerReferences.NewControllerRef(ResourceTypes.Deployments.ApiVersion, ResourceTypes.Deployments.Kind, _d.Metadata)],
                    Labels = new Dictionary<string, string>(template.Metadata.Labels, StringComparer.Ordinal),
                },
                Spec = new V1ReplicaSetSpec { Replicas = 0, MinReadySeconds = _d.Spec.MinReadySeconds, Selector = selector, Template = template },
            };
            rs.Spec.Replicas = NewReplicas([.. olds, rs], rs);
            SetNewReplicaSetAnnotations(rs, revision, exists: false);
            return rs;
        }

        /// <summary>
        /// Copies the Deployment's annotations (but the controller's own and kubectl's last-applied one), raises the revision
        /// to <paramref name="newRevision"/> if it is lower, keeping the ones it had in the revision history (a rollback),
        /// and on a new ReplicaSet sets the replicas annotations (<c>SetNewReplicaSetAnnotations</c>).
        /// </summary>
        private bool SetNewReplicaSetAnnotations(V1ReplicaSet rs, string newRevision, bool exists)
        {
            var annotations = rs.Metadata.Annotations ??= new Dictionary<string, string>();
            var changed = false;
            foreach (var (key, value) in _d.Metadata.Annotations ?? new Dictionary<string, string>())
            {
                if (!DeploymentAnnotations.NotCopied.Contains(key) && (!annotations.TryGetValue(key, out var current) || current != value))
                {
                    annotations[key] = value;
                    changed = true;
                }
            }

            var had = annotations.TryGetValue(DeploymentAnnotations.Revision, out var oldText);
            long oldRevision = 0;
            if (had && !long.TryParse(oldText, NumberStyles.None, CultureInfo.InvariantCulture, out oldRevision))
            {
                return false;
            }

            var revision = long.Parse(newRevision, CultureInfo.InvariantCulture);
            if (oldRevision < revision)
            {
                annotations[DeploymentAnnotations.Revision] = newRevision;
                changed = true;
                if (had)
                {
                    RecordRevisionHistory(annotations, oldText!);
                }
            }

            if (!exists && SetReplicasAnnotations(rs))
            {
                changed = true;
            }

            return changed;
        }

        private static void RecordRevisionHistory(IDictionary<string, string> annotations, string oldRevision)
        {
            var history = annotations.TryGetValue(DeploymentAnnotations.RevisionHistory, out var text) ? text : string.Empty;
            if (history.Length == 0)
            {
                annotations[DeploymentAnnotations.RevisionHistory] = oldRevision;
                return;
            }

            var revisions = history.Split(',').ToList();
            var length = history.Length + oldRevision.Length + 1;
            var start = 0;
            while (length > DeploymentAnnotations.MaxRevisionHistoryLength && start < revisions.Count)
            {
                length -= revisions[start].Length + 1;
                start++;
            }

            if (length <= DeploymentAnnotations.MaxRevisionHistoryLength)
            {
                annotations[DeploymentAnnotations.RevisionHistory] = string.Join(',', revisions.Skip(start).Append(oldRevision));
            }
        }

        private void SetRevision(string? revision)
        {
            if (revision is not null && Annotation(_d.Metadata, DeploymentAnnotations.Revision) != revision)
            {
                _revision = revision;
            }
        }

        /// <summary>
        /// Deletes old ReplicaSets beyond <c>revisionHistoryLimit</c>, lowest revision first, only those with no replicas
        /// wanted or left and their spec observed (<c>cleanupDeployment</c>).
        /// </summary>
        private void Cleanup(IReadOnlyList<V1ReplicaSet> olds)
        {
            if (_d.Spec?.RevisionHistoryLimit is not { } limit)
            {
                return;
            }

            var cleanable = olds.Where(rs => rs.Metadata.DeletionTimestamp is null).ToList();
            var diff = cleanable.Count - limit;
            if (diff <= 0)
            {
                return;
            }

            foreach (var rs in cleanable.OrderBy(RevisionOf).ThenBy(Created).Take(diff))
            {
                if (Actual(rs) != 0 || Spec(rs) != 0 || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
                {
                    continue;
                }

                _delete.Add(rs);
            }
        }

        /// <summary>The status from the ReplicaSets, with the Available condition (<c>calculateStatus</c>).</summary>
        private V1DeploymentStatus Calculate(IReadOnlyList<V1ReplicaSet> olds, V1ReplicaSet? newRs)
        {
            var all = olds.Append(newRs).OfType<V1ReplicaSet>().ToList();
            var available = all.Sum(Available);
            var status = new V1DeploymentStatus
            {
                ObservedGeneration = _d.Metadata.Generation,
                Replicas = all.Sum(Actual),
                UpdatedReplicas = Actual(newRs),
                ReadyReplicas = all.Sum(Ready),
                AvailableReplicas = available,
                UnavailableReplicas = Math.Max(0, all.Sum(Spec) - available),
                CollisionCount = _working.CollisionCount,
                Conditions = _working.Conditions is null ? null : [.. _working.Conditions.Select(KubeJson.Clone)],
            };
            DeploymentConditions.Set(status, available >= _replicas - RollingUpdateBounds.MaxUnavailable(_d)
                ? DeploymentConditions.New(DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", _now)
                : DeploymentConditions.New(DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", _now));
            return status;
        }

        /// <summary>
        /// The status of a rollout step with its Progressing condition: complete, progressing, or past its deadline; and the
        /// ReplicaFailure of a ReplicaSet (<c>syncRolloutStatus</c>). Asks to look again when the deadline would pass.
        /// </summary>
        private V1DeploymentStatus RolloutStatus(IReadOnlyList<V1ReplicaSet> olds, V1ReplicaSet? newRs)
        {
            var status = Calculate(olds, newRs);
            if (!_hasDeadline)
            {
                DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
            }

            var current = DeploymentConditions.Get(_working, DeploymentConditions.Progressing);
            var name = newRs is null ? $"Deployment \"{_d.Metadata.Name}\"" : $"ReplicaSet \"{newRs.Metadata.Name}\"";
            var completeBefore = status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewReplicaSetAvailable;
            if (_hasDeadline && !completeBefore)
            {
                if (IsComplete(_d, status))
                {
                    DeploymentConditions.Set(status, DeploymentConditions.New(
                        DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetAvailable, $"{name} has successfully progressed.", _now));
                }
                else if (MadeProgress(status))
                {
                    var condition = DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, $"{name} is progressing.", _now);
                    if (current is not null)
                    {
                        if (current.Status == "True")
                        {
                            condition.LastTransitionTime = current.LastTransitionTime;
                        }

                        DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                    }

                    DeploymentConditions.Set(status, condition);
                }
                else if (TimedOut(status))
                {
                    DeploymentConditions.Set(status, DeploymentConditions.New(
                        DeploymentConditions.Progressing, "False", DeploymentConditions.ProgressDeadlineExceeded, $"{name} has timed out progressing.", _now));
                }
            }

            var failure = olds.Prepend(newRs).OfType<V1ReplicaSet>()
                .Select(rs => rs.Status?.Conditions?.FirstOrDefault(c => c.Type == ReplicaSetSync.ReplicaFailure))
                .FirstOrDefault(c => c is not null);
            if (failure is not null)
            {
                DeploymentConditions.Set(status, new V1DeploymentCondition
                {
                    Type = DeploymentConditions.ReplicaFailure,
                    Status = failure.Status,
                    Reason = failure.Reason,
                    Message = failure.Message,
                    LastUpdateTime = failure.LastTransitionTime,
                    LastTransitionTime = failure.LastTransitionTime,
                });
            }
            else
            {
                DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);
            }

            _requeueAt = Earliest(_requeueAt, DeadlineCheck(status));
            return status;
        }

        /// <summary>Whether pods were updated, old ones went, or more became ready or available (<c>DeploymentProgressing</c>).</summary>
        private bool MadeProgress(V1DeploymentStatus status)
        {
            var oldBefore = (_working.Replicas ?? 0) - (_working.UpdatedReplicas ?? 0);
            var oldNow = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
            return (status.UpdatedReplicas ?? 0) > (_working.UpdatedReplicas ?? 0)
                || oldNow < oldBefore
                || (status.ReadyReplicas ?? 0) > (_working.ReadyReplicas ?? 0)
                || (status.AvailableReplicas ?? 0) > (_working.AvailableReplicas ?? 0);
        }

        /// <summary>Whether progressDeadlineSeconds passed since the last progress (<c>DeploymentTimedOut</c>).</summary>
        private bool TimedOut(V1DeploymentStatus status)
        {
            var condition = DeploymentConditions.Get(status, DeploymentConditions.Progressing);
            if (condition is null || condition.Reason == DeploymentConditions.NewReplicaSetAvailable)
            {
                return false;
            }

            if (condition.Reason == DeploymentConditions.ProgressDeadlineExceeded)
            {
                return true;
            }

            return condition.LastUpdateTime is { } from
                && KubeTime.ToInstant(from) + TimeSpan.FromSeconds(_d.Spec.ProgressDeadlineSeconds!.Value) < _now;
        }

        /// <summary>When to look again to see whether the deadline passed (<c>requeueStuckDeployment</c>).</summary>
        private DateTimeOffset? DeadlineCheck(V1DeploymentStatus status)
        {
            var condition = DeploymentConditions.Get(status, DeploymentConditions.Progressing);
            if (!_hasDeadline || condition?.LastUpdateTime is not { } from || IsComplete(_d, status)
                || condition.Reason is DeploymentConditions.ProgressDeadlineExceeded or DeploymentConditions.NewReplicaSetAvailable)
            {
                return null;
            }

            return KubeTime.ToInstant(from) + TimeSpan.FromSeconds(_d.Spec.ProgressDeadlineSeconds!.Value + 1);
        }

        private static string? Annotation(V1ObjectMeta meta, string key) =>
            meta.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

        private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
            a is null ? b : b is null ? a : a < b ? a : b;
    }
}
