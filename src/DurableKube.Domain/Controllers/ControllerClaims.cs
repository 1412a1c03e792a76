using DurableKube.Domain.Ownership;
using DurableKube.Domain.Selectors;
using k8s;
using k8s.Models;

namespace DurableKube.Domain.Controllers;

/// <summary>
/// How a controller decides which objects are its own (controller_ref_manager.go, <c>ClaimObject</c>): it keeps
/// those it controls that its selector still matches, releases those it controls that the selector no
/// longer matches, adopts orphans the selector matches, and leaves other controllers' objects alone. While
/// it is being deleted it keeps what it has but neither releases nor adopts; it never adopts an object
/// being deleted.
/// </summary>
public static class ControllerClaims
{
    /// <summary>Decides what claiming does to one object.</summary>
    /// <param name="obj">A candidate in the controller's namespace.</param>
    /// <param name="controllerUid">The controller's uid.</param>
    /// <param name="controllerDeleting">Whether the controller is being deleted (it then releases and adopts nothing).</param>
    /// <param name="selector">The controller's selector.</param>
    /// <returns>The action.</returns>
    public static ClaimAction Claim(IKubernetesObject<V1ObjectMeta> obj, string controllerUid, bool controllerDeleting, LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(selector);
        var meta = obj.Metadata ?? new V1ObjectMeta();
        var matches = selector.Matches(meta.Labels);
        if (OwnerReferences.ControllerOf(meta) is { } controller)
        {
            if (controller.Uid != controllerUid)
            {
                return ClaimAction.Ignore;
            }

            if (matches)
            {
                return ClaimAction.Keep;
            }

            // A controller being deleted takes no action on what it has.
            return controllerDeleting ? ClaimAction.Ignore : ClaimAction.Release;
        }

        return !controllerDeleting && matches && meta.DeletionTimestamp is null ? ClaimAction.Adopt : ClaimAction.Ignore;
    }
}
