namespace DurableKube.Runtime.Aci.Arm.Models;

/// <summary>The body of an <c>Azure-AsyncOperation</c> poll.</summary>
public sealed class ArmOperationStatus
{
    /// <summary>Gets or sets the status: InProgress, Succeeded, Failed or Canceled (or a provider's own non-terminal state).</summary>
    public string? Status { get; set; }

    /// <summary>Gets or sets the error of a failed operation.</summary>
    public ArmErrorDetail? Error { get; set; }
}
