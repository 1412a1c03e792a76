using DurableKube.Domain.CronJobs;
using DurableKube.Domain.Defaulting;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for CronJobs (pkg/registry/batch/cronjob/strategy.go, pkg/apis/batch/validation).</summary>
public sealed class CronJobStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="CronJobStrategy"/> class.</summary>
    public CronJobStrategy()
        : base(ResourceTypes.CronJobs)
    {
    }

    /// <summary>
    /// The batch/v1 defaults (<c>SetDefaults_CronJob</c>): concurrencyPolicy Allow, suspend false, history limits 3 and 1,
    /// and the pod template's defaults. The job template's spec gets no Job defaults: the Jobs made from it get them.
    /// </summary>
    /// <param name="obj">The CronJob.</param>
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var cronJob = (V1CronJob)obj;
        var spec = cronJob.Spec ??= new V1CronJobSpec();
        if (string.IsNullOrEmpty(spec.ConcurrencyPolicy))
        {
            spec.ConcurrencyPolicy = "Allow";
        }

        spec.Suspend ??= false;
        spec.SuccessfulJobsHistoryLimit ??= 3;
        spec.FailedJobsHistoryLimit ??= 1;
        if (spec.JobTemplate?.Spec?.Template is { } template)
        {
            PodDefaults.ApplyTemplate(template);
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) =>
        [.. base.Validate(obj), .. CronJobValidation.Validate((V1CronJob)obj)];

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        [.. base.ValidateUpdate(obj, old), .. CronJobValidation.ValidateSpec(((V1CronJob)obj).Spec)];
}
