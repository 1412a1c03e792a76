using DurableKube.Domain.Jobs;
using DurableKube.Domain.Resources;
using DurableKube.Domain.Validation;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Strategies;

/// <summary>The API server's rules for Jobs (pkg/registry/batch/job/strategy.go, pkg/apis/batch/validation).</summary>
public sealed class JobStrategy : ObjectStrategy
{
    /// <summary>Initializes a new instance of the <see cref="JobStrategy"/> class.</summary>
    public JobStrategy()
        : base(ResourceTypes.Jobs)
    {
    }

    /// <summary>The batch/v1 defaults (<see cref="JobDefaults.Apply"/>).</summary>
    /// <param name="obj">The Job.</param>
    public override void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var job = (V1Job)obj;
        JobDefaults.Apply(job.Spec ??= new V1JobSpec());
    }

    /// <summary>
    /// Generates the selector and template labels from the Job's uid, then checks it. (Kubernetes generates them in
    /// <c>PrepareForCreate</c>; here the uid is given after that, so they are made just before validation, as older
    /// Kubernetes did.)
    /// </summary>
    /// <param name="obj">The new Job.</param>
    /// <returns>The errors.</returns>
    public override IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var job = (V1Job)obj;
        JobSelectors.Generate(job);
        return [.. base.Validate(obj), .. JobValidation.Validate(job)];
    }

    /// <summary>The Job's rules, and what may not change: completions, selector, template, completion mode, pod failure policy.</summary>
    /// <param name="obj">The new Job.</param>
    /// <param name="old">The stored one.</param>
    /// <returns>The errors.</returns>
    public override IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var job = (V1Job)obj;
        var before = (V1Job)old;
        var labels = before.Spec?.Template?.Metadata?.Labels;
        var prefixed = labels is not null && labels.ContainsKey(JobLabels.JobName) && labels.ContainsKey(JobLabels.ControllerUid);
        return
        [
            .. base.ValidateUpdate(obj, old),
            .. JobValidation.Validate(job, prefixed),
            .. JobValidation.ValidateSpecUpdate(job.Spec, before.Spec),
        ];
    }

    /// <inheritdoc />
    public override IReadOnlyList<FieldError> ValidateStatusUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        JobValidation.ValidateStatus(((V1Job)obj).Status);
}
