using DurableKube.Runtime.Aci.Arm.Models;

namespace DurableKube.Runtime.Aci.Arm;

/// <summary>
/// What a create-or-update came to: the group ARM accepted (possibly still provisioning), or a refusal for want of
/// quota or capacity, which is no error of the request: the caller leaves its pod Pending and tries again later.
/// </summary>
/// <param name="Group">The group as ARM answered, when accepted.</param>
/// <param name="Refusal">Why ARM had no room for it, when refused.</param>
public sealed record ContainerGroupWriteResult(ContainerGroup? Group, ArmError? Refusal)
{
    /// <summary>Gets a value indicating whether ARM refused the group for want of quota or capacity.</summary>
    public bool IsRefused => Refusal is not null;
}
