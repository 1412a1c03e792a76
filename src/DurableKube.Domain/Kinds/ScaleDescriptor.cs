using k8s;
using k8s.Models;

namespace DurableKube.Domain.Kinds;

/// <summary>Where a scalable kind keeps what its <c>scale</c> subresource shows and changes (an <c>autoscaling/v1</c> Scale).</summary>
/// <param name="DesiredReplicas">Reads <c>spec.replicas</c>.</param>
/// <param name="SetDesiredReplicas">Writes <c>spec.replicas</c>.</param>
/// <param name="CurrentReplicas">Reads <c>status.replicas</c>.</param>
/// <param name="Selector">Reads the pod selector that <c>status.selector</c> shows.</param>
public sealed record ScaleDescriptor(
    Func<IKubernetesObject<V1ObjectMeta>, int> DesiredReplicas,
    Action<IKubernetesObject<V1ObjectMeta>, int> SetDesiredReplicas,
    Func<IKubernetesObject<V1ObjectMeta>, int> CurrentReplicas,
    Func<IKubernetesObject<V1ObjectMeta>, V1LabelSelector?> Selector)
{
    /// <summary>Makes a descriptor over a typed model.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="desired">Reads <c>spec.replicas</c>.</param>
    /// <param name="setDesired">Writes <c>spec.replicas</c>.</param>
    /// <param name="current">Reads <c>status.replicas</c>.</param>
    /// <param name="selector">Reads the selector.</param>
    /// <returns>The descriptor.</returns>
    public static ScaleDescriptor For<T>(Func<T, int> desired, Action<T, int> setDesired, Func<T, int> current, Func<T, V1LabelSelector?> selector)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(setDesired);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(selector);
        return new(o => desired((T)o), (o, n) => setDesired((T)o, n), o => current((T)o), o => selector((T)o));
    }
}
